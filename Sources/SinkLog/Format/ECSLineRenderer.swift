import MonitorKitCore

/// Renders events as ECS JSON lines, keys in the order log shippers expect:
/// `@timestamp`, `log.level`, `message`, `ecs.version`, `service.name`, `event.kind`,
/// `event.dataset`, `event.action`, then the event's fields under its source id.
///
/// Every line monitord logs begins with the same keys: the log sink's lines, and the daemon's own
/// through ``ECSLogHandler``, are both opened by ``begin(time:level:message:timestamps:into:capacity:)``
/// and ``writeOrigin(kind:dataset:to:)``.
///
/// One renderer belongs to one writer at a time (it caches the date of the last timestamp).
struct ECSLineRenderer {
    static let ecsVersion = "8.11.0"
    static let serviceName = "monitord"

    private var timestamps = RFC3339Timestamp()
    private var cachedMiddle: (source: String, name: String, kind: Event.Kind, text: String)?
    /// When set, metric samples keep only these fields.
    private let metricFields: Set<String>?

    init(metricFields: [String]? = nil) {
        self.metricFields = metricFields.map(Set.init)
    }

    /// `monitord.<source id>`: one dataset per component, so a shipper can route per source.
    static func dataset(of event: Event) -> String { "monitord." + event.source }

    /// The human line of an event: the alert summary, the error of a failing source, else the name.
    static func message(of event: Event) -> String {
        switch event.kind {
        case .alert:
            guard let notice = AlertNotice(event) else { return event.name }
            let name = notice.alertname, state = notice.state.rawValue
            return notice.summary.isEmpty ? "\(name) \(state)" : "\(name) \(state): \(notice.summary)"
        case .event where event.name == "source.error":
            let error = event.fields["error"]?.stringValue ?? "unknown error"
            return "source \(event.source) failed: \(error)"
        default:
            return event.name
        }
    }

    /// Begins a line: `{"@timestamp":"…","log.level":"…","message":…`. The timestamp is appended
    /// to `out`; the returned writer holds the rest, for the caller to go on with and append.
    static func begin(
        time: Double, level: String, message: String, timestamps: inout RFC3339Timestamp, into out: inout [UInt8], capacity: Int
    ) -> JSONWriter {
        out.append(contentsOf: #"{"@timestamp":""#.utf8)
        timestamps.append(time, to: &out)
        var w = JSONWriter(capacity: capacity)
        w.writeRaw(#"","log.level":""#)
        w.writeRaw(level)
        w.writeRaw(#"","message":"#)
        w.write(string: message)
        return w
    }

    /// The keys that say where a line comes from:
    /// `,"ecs.version":"8.11.0","service.name":"monitord","event.kind":"…","event.dataset":…`.
    static func writeOrigin(kind: String, dataset: String, to w: inout JSONWriter) {
        w.writeRaw(#","ecs.version":""# + ecsVersion + #"","service.name":""# + serviceName + #"","event.kind":""#)
        w.writeRaw(kind)
        w.writeRaw(#"","event.dataset":"#)
        w.write(string: dataset)
    }

    /// Appends one line, newline included, to `out`.
    mutating func render(_ event: Event, level: LogLevel, into out: inout [UInt8]) {
        var w = Self.begin(time: event.time, level: level.rawValue, message: Self.message(of: event), timestamps: &timestamps, into: &out, capacity: 1024)
        w.writeRaw(middle(for: event))
        if event.kind == .metric, let metricFields {
            w.write(event.fields.filter(names: metricFields))
        } else {
            w.write(event.fields)
        }
        w.writeRaw("}\n")
        out.append(contentsOf: w.bytes)
    }

    /// The keys between `message` and the fields, which depend only on source, name and kind:
    /// rendered once and reused while consecutive events share them (the common case).
    private mutating func middle(for event: Event) -> String {
        if let cached = cachedMiddle, cached.kind == event.kind, cached.name == event.name, cached.source == event.source {
            return cached.text
        }
        var w = JSONWriter(capacity: 256)
        Self.writeOrigin(kind: event.kind.rawValue, dataset: Self.dataset(of: event), to: &w)
        w.writeRaw(#","event.action":"#)
        w.write(string: event.name)
        w.writeRaw(",")
        w.write(string: event.source)
        w.writeRaw(":")
        let text = w.string
        cachedMiddle = (event.source, event.name, event.kind, text)
        return text
    }
}

import MonitorKitCore

/// Renders events as ECS JSON lines, keys in the order log shippers expect:
/// `@timestamp`, `log.level`, `message`, `ecs.version`, `service.name`, `event.kind`,
/// `event.dataset`, `event.action`, then the event's fields under its source id.
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

    /// Appends one line, newline included, to `out`.
    mutating func render(_ event: Event, level: LogLevel, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"@timestamp":""#.utf8)
        timestamps.append(event.time, to: &out)
        var w = JSONWriter(capacity: 1024)
        w.writeRaw(#"","log.level":""#)
        w.writeRaw(level.rawValue)
        w.writeRaw(#"","message":"#)
        w.write(string: Self.message(of: event))
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
        w.writeRaw(#","ecs.version":""# + Self.ecsVersion + #"","service.name":""# + Self.serviceName + #"","event.kind":""#)
        w.writeRaw(event.kind.rawValue)
        w.writeRaw(#"","event.dataset":"#)
        w.write(string: Self.dataset(of: event))
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

import MonitorKitCore

/// `type: log`: every event as one ECS JSON line, to stdout or to a file that logrotate can rotate.
///
/// ```yaml
/// log: { type: log, path: /var/log/monitord/events.log, min_level: info, kinds: [event, alert] }
/// ```
public struct LogSinkConfig: SinkConfig, Equatable {
    /// The `type:` value that selects this sink.
    public static let type = "log"
    /// Logs must not be lost: a full queue makes publishers wait instead of dropping.
    public static var defaultBuffer: BufferPolicy { BufferPolicy(maxEvents: 1000, whenFull: .block) }

    /// `-` for standard output, else a file path (created 0640, appended, reopened on SIGHUP).
    public var path: String = "-"
    /// Lines below this level are not written.
    public var minLevel: LogLevel = .info
    /// Which event kinds are written.
    public var kinds: Set<Event.Kind> = Set(Event.Kind.allCases)
    /// Write one in N metric samples of each source (1 = every sample).
    public var sampleEvery: Int = 1
    /// When set, metric samples carry only these fields (events and alerts are written whole).
    public var fields: [String]?
    /// How long a written line may wait in memory before it reaches the file.
    public var flushInterval: Duration = .milliseconds(250)

    /// A config with every key given in code; the defaults are the documented ones.
    public init(path: String = "-", minLevel: LogLevel = .info, kinds: Set<Event.Kind> = Set(Event.Kind.allCases),
                sampleEvery: Int = 1, fields: [String]? = nil, flushInterval: Duration = .milliseconds(250)) {
        self.path = path
        self.minLevel = minLevel
        self.kinds = kinds
        self.sampleEvery = max(1, sampleEvery)
        self.fields = fields
        self.flushInterval = flushInterval
    }

    enum CodingKeys: String, CodingKey {
        case path
        case minLevel = "min_level"
        case kinds
        case sampleEvery = "sample_every"
        case fields
        case flushInterval = "flush_interval"
    }

    /// Decodes the sink's keys from its config section.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? "-"
        guard !path.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .path, in: c, debugDescription: "path is empty; use \"-\" for standard output or a file path")
        }
        minLevel = try c.decodeIfPresent(LogLevel.self, forKey: .minLevel) ?? .info
        if let kinds = try c.decodeIfPresent([Event.Kind].self, forKey: .kinds) {
            guard !kinds.isEmpty else {
                throw DecodingError.dataCorruptedError(
                    forKey: .kinds, in: c, debugDescription: "kinds is empty, so nothing would be logged; list some of metric, event, alert")
            }
            self.kinds = Set(kinds)
        }
        // 1 logs every sample.
        sampleEvery = try c.decodeIfPresent(Int.self, forKey: .sampleEvery, in: 1...1_000_000) ?? 1
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
        flushInterval = try c.decodeIfPresent(Duration.self, forKey: .flushInterval, in: .milliseconds(1) ... .seconds(60)) ?? .milliseconds(250)
    }

    /// A file in a directory that is missing or unwritable would stop the daemon at start.
    public func check(_ context: ConfigCheckContext) -> [ConfigProblem] {
        guard path != "-", let problem = LogOutput.problem(opening: path) else { return [] }
        return [ConfigProblem(at: "path", "cannot open log file: \(problem)")]
    }

    /// Builds the log sink and opens its file, so a path that cannot be opened fails the start.
    public func build(context: SinkBuildContext) async throws -> any Sink {
        try LogSink(id: context.id, config: self, logger: context.logger)
    }
}

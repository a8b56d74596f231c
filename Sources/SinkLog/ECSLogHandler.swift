import Logging
import MonitorKitCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log backend writing monitord's own logs (start, stop, errors) as ECS JSON lines, in the
/// same shape as the log sink: `@timestamp`, `log.level`, `message`, `ecs.version`,
/// `service.name`, `event.kind` (`event`), `event.dataset` (`monitord.daemon`), `log.logger`
/// (the logger's label), then `labels` holding the metadata and `error.message` when an error was
/// logged.
///
/// ```swift
/// LoggingSystem.bootstrap { label in ECSLogHandler(label: label, logLevel: .info) }
/// ```
public struct ECSLogHandler: LogHandler {
    /// Where the lines go.
    public enum Output: Sendable {
        /// Standard error (the default: standard output may carry the log sink's lines).
        case standardError
        case standardOutput

        var fileDescriptor: Int32 {
            switch self {
            case .standardError: STDERR_FILENO
            case .standardOutput: STDOUT_FILENO
            }
        }
    }

    /// Metadata added to every message of this logger, written under `labels`.
    public var metadata: Logger.Metadata = [:]
    /// Messages below this level are dropped.
    public var logLevel: Logger.Level
    /// Adds metadata to every message at the time it is logged.
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: Output

    /// - Parameters:
    ///   - label: The logger's label, written as `log.logger`.
    ///   - logLevel: Messages below this level are dropped (`monitord.log_level`).
    ///   - output: Standard error unless told otherwise.
    ///   - metadataProvider: Adds metadata to every message, as swift-log defines.
    public init(label: String, logLevel: Logger.Level = .info, output: Output = .standardError,
                metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.logLevel = logLevel
        self.output = output
        self.metadataProvider = metadataProvider
    }

    /// One metadata value of this logger.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes the message as one ECS line, in one `write`.
    public func log(event: LogEvent) {
        var line = render(event, time: Event.now())
        line.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            // One write per line, so lines from concurrent loggers never interleave.
            while offset < raw.count {
                let n = write(output.fileDescriptor, base + offset, raw.count - offset)
                if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { return }
            }
        }
    }

    /// The ECS line for `event`, newline included.
    func render(_ event: LogEvent, time: Double) -> [UInt8] {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }

        var out: [UInt8] = []
        out.reserveCapacity(256)
        var timestamps = RFC3339Timestamp()
        var w = ECSLineRenderer.begin(
            time: time, level: Self.levelName(event.level), message: event.message.description, timestamps: &timestamps, into: &out, capacity: 256)
        ECSLineRenderer.writeOrigin(kind: Event.Kind.event.rawValue, dataset: "monitord.daemon", to: &w)
        w.writeRaw(#","log.logger":"#)
        w.write(string: label)
        if !merged.isEmpty {
            w.writeRaw(#","labels":"#)
            w.write(Self.fields(merged))
        }
        if let error = event.error {
            w.writeRaw(#","error.message":"#)
            w.write(string: String(describing: error))
        }
        w.writeRaw("}\n")
        out.append(contentsOf: w.bytes)
        return out
    }

    /// swift-log's levels in ECS spelling; `warning` is written `warn` as the log sink does.
    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "trace"
        case .debug: "debug"
        case .info: "info"
        case .notice: "notice"
        case .warning: "warn"
        case .error: "error"
        case .critical: "critical"
        }
    }

    /// Metadata in key order, so the same metadata always renders the same line.
    private static func fields(_ metadata: Logger.Metadata) -> Fields {
        var fields = Fields()
        for key in metadata.keys.sorted() {
            if let value = metadata[key] { fields.append(key, Self.value(value)) }
        }
        return fields
    }

    private static func value(_ value: Logger.MetadataValue) -> Value {
        switch value {
        case .string(let s): .string(s)
        case .stringConvertible(let c): .string(c.description)
        case .array(let list): .list(list.map(Self.value))
        case .dictionary(let dict): .object(fields(dict))
        }
    }
}

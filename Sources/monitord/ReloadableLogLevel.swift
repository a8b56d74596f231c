import Logging
import MonitorKitCore
import Synchronization

/// The level of monitord's own logs, which a reload may change while loggers already exist:
/// every handler reads it here on each message.
final class SharedLogLevel: Sendable {
    private let raw: Atomic<Int>

    init(_ level: Logger.Level) { raw = Atomic(Self.index(level)) }

    var level: Logger.Level {
        get { Logger.Level.allCases[raw.load(ordering: .relaxed)] }
    }

    func set(_ level: Logger.Level) { raw.store(Self.index(level), ordering: .relaxed) }

    private static func index(_ level: Logger.Level) -> Int { Logger.Level.allCases.firstIndex(of: level) ?? 2 }
}

/// A log handler whose level is the shared one, whatever a logger sets.
struct SharedLevelHandler<Inner: LogHandler>: LogHandler {
    var inner: Inner
    let shared: SharedLogLevel

    var logLevel: Logger.Level {
        get { shared.level }
        set {}
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        inner.log(event: event)
    }
}

extension LogLevel {
    /// The swift-log level of a config level.
    var loggerLevel: Logger.Level {
        switch self {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .warn: .warning
        case .error: .error
        }
    }
}

import MonitorKitCore

/// The severity written as `log.level`, lowest first; `min_level` compares against this order.
public enum LogLevel: String, Sendable, Codable, CaseIterable, Comparable {
    case trace, debug, info, warn, error

    private var rank: Int {
        switch self {
        case .trace: 0
        case .debug: 1
        case .info: 2
        case .warn: 3
        case .error: 4
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }

    /// The level the log sink gives an event: samples and happenings are `info`, a failing
    /// source is `error`, an alert that is pending or firing is `warn` (`error` when its
    /// severity is `critical`), and an alert going back to resolved or inactive is `info`.
    /// A notifier giving up (`notification.failed`) is `error` too.
    public static func of(_ event: Event) -> LogLevel {
        switch event.kind {
        case .metric:
            return .info
        case .event:
            return event.name == "source.error" || event.name == "notification.failed" ? .error : .info
        case .alert:
            let state = event.fields["state"]?.stringValue
            if state == "resolved" || state == "inactive" { return .info }
            return event.fields["severity"]?.stringValue == "critical" ? .error : .warn
        }
    }
}


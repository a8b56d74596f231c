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

    /// The level the log sink gives an event: samples and happenings are `info`, a happening
    /// that reports a failure (it carries an `error` field: a failing source, a notifier giving
    /// up) is `error`, an alert that is pending or firing is `warn` (`error` when its severity is
    /// `critical`), and an alert going back to resolved or inactive is `info`.
    public static func of(_ event: Event) -> LogLevel {
        switch event.kind {
        case .metric:
            return .info
        case .event:
            return event.fields["error"] != nil ? .error : .info
        case .alert:
            guard let notice = AlertNotice(event), notice.isActive else { return .info }
            return notice.severity == "critical" ? .error : .warn
        }
    }
}


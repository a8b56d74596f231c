/// A log severity, lowest first, spelled as ECS writes `log.level`: the daemon's own
/// `monitord.log_level` and the log sink's `min_level` both take one.
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

    /// Lower severity first: `trace < debug < info < warn < error`.
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// How the view gets its events, as the header shows it.
enum ConnectionState: Sendable, Equatable {
    /// In-process: the `tui` sink reads the daemon's bus.
    case local
    /// First connection to a remote monitord not made yet.
    case connecting
    /// The event stream of a remote monitord is open.
    case live
    /// The stream broke; retrying soon (`attempt` counts failures in a row).
    case reconnecting(attempt: Int, retryAt: Double, reason: String)
    /// Retries keep failing (or the server refused us); still retrying at the slowest pace.
    case disconnected(retryAt: Double, reason: String)
    /// A one-off `--once` picture.
    case snapshot

    /// The word in the header.
    var label: String {
        switch self {
        case .local, .live: "live"
        case .connecting: "connecting"
        case .reconnecting: "reconnecting"
        case .disconnected: "disconnected"
        case .snapshot: "snapshot"
        }
    }

    var isLive: Bool { self == .local || self == .live || self == .snapshot }
}

/// Where the view's data comes from.
enum DashboardMode: Sendable, Equatable {
    case local
    case remote(url: String)
}

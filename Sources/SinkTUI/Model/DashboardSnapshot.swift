import MonitorKitCore

/// What a backend knows at start (and after each reconnect): the sources, their history and the
/// alerts already active.
struct DashboardSnapshot: Sendable, Equatable {
    /// The daemon's version, when it says.
    var version: String?
    /// When the daemon started (Unix seconds), when it says.
    var startTime: Double?
    var sources: [SourceEntry]
    /// Metric events per source, oldest first (includes `internal.stats` when there is one).
    var history: [String: [Event]]
    /// Alerts pending or firing; `nil` when the backend cannot list them.
    var alerts: [AlertNotice]?
    /// Live answers of the `stats` action, fresher than the last sample.
    var stats: [String: Sample]

    init(version: String? = nil, startTime: Double? = nil, sources: [SourceEntry], history: [String: [Event]] = [:],
         alerts: [AlertNotice]? = nil, stats: [String: Sample] = [:]) {
        self.version = version
        self.startTime = startTime
        self.sources = sources
        self.history = history
        self.alerts = alerts
        self.stats = stats
    }
}

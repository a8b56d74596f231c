import MonitorKitCore

/// Where the view's data comes from: the daemon's own bus (the `tui` sink) or a remote monitord's
/// HTTP API (`monitord top`). The app and the view are the same for both.
protocol DashboardBackend: Sendable {
    /// `.local`, or `.remote(url:)` for the header.
    var mode: DashboardMode { get }

    /// Sends a snapshot, then live events and connection changes, until the task is cancelled or
    /// the feed ends (the app then stops with ``DashboardExit/feedEnded``).
    func feed(_ send: @escaping @Sendable (DashboardInput) -> Void) async

    /// Figures read on every refresh tick (the in-process bus and health); `nil` when there are none.
    func poll() async -> DashboardInput?

    /// Live stats of a source; `nil` when it has no `stats` action.
    func stats(source: String) async throws -> Sample?

    /// Clears a source (its `clear` action, which also resets its statistics).
    func clear(source: String) async throws -> ClearSummary
}

/// Why the view stopped.
enum DashboardExit: Sendable, Equatable {
    /// `q` or Ctrl-C.
    case quit
    /// The event feed ended: the daemon is shutting down.
    case feedEnded
    /// SIGINT, SIGTERM or SIGHUP.
    case signal(Int32)
}

/// How the view runs.
struct DashboardOptions: Sendable {
    /// How often the clock and figures are redrawn when no event arrives.
    var refreshInterval: Duration = .seconds(1)
    /// Colours and styles, off under `NO_COLOR`.
    var colors: Bool = true
    /// The source shown first.
    var initialSource: String?
    /// The least time between two frames, so a burst of events costs one redraw.
    var minimumFrameInterval: Duration = .milliseconds(40)
    /// Signals the view handles itself (the `top` command); the sink leaves SIGINT/SIGTERM to the daemon.
    var signals: [Int32] = []
    /// Show the process's own stdout/stderr in the view instead of letting it scroll the screen
    /// (the sink: the daemon logs while the view is up).
    var captureOutput = false
}

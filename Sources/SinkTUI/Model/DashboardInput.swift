import MonitorKitCore

/// Everything that changes the view, from any producer (bus, network, keyboard, clock).
enum DashboardInput: Sendable {
    case snapshot(DashboardSnapshot)
    case events([Event])
    case connection(ConnectionState)
    /// In-process figures of the bus and component health (the sink polls them each tick).
    case bus(PipelineState, sourceStates: [(id: String, state: String)])
    case stats(source: String, sample: Sample)
    case cleared(source: String, ClearSummary)
    /// A refresh asked for with `r` finished.
    case refreshed(source: String)
    /// An action or request failed; shown in the footer.
    case failure(String)
    /// Bytes the daemon wrote to its stdout or stderr while the view was up.
    case output([UInt8])
    case key(Key)
    case resize
    case tick
    /// A frame that was held back to cap the redraw rate is due.
    case frame
    /// The event feed ended (the daemon is shutting down).
    case feedEnded
    /// SIGINT, SIGTERM or SIGHUP arrived (the `top` command's own handlers).
    case signal(Int32)
}

/// What the state asks the app to do after a key.
enum DashboardCommand: Sendable, Equatable {
    case quit
    /// Fetch live stats of the source now and redraw everything.
    case refresh(source: String?)
    case clear(source: String)
    /// Redraw the whole screen (after a resize, or Ctrl-L when something wrote over it).
    case repaint
}

import MonitorKitCore

/// The running `tui` sink: the view over this daemon's bus, history and actions.
public struct TUISink: Sink {
    /// The component id from `monitord.yaml`.
    public let id: String
    let config: TUISinkConfig
    let runtime: RuntimeContext
    let colors: Bool

    /// Draws the view on the terminal until it is quit (`q` ends the daemon) or the daemon stops.
    public func run(events: Subscription) async throws {
        let backend = LocalBackend(runtime: runtime, events: events)
        var options = DashboardOptions()
        options.refreshInterval = config.refresh
        options.colors = colors
        options.initialSource = config.source
        options.captureOutput = true
        let app = DashboardApp(backend: backend, options: options, screen: TerminalScreen(), version: runtime.version)
        let exit = await app.run()
        guard exit == .quit else { return }
        // `q` in the daemon's own view ends the daemon, as quitting htop ends htop. The graceful
        // shutdown also ends this subscription.
        await runtime.requestShutdown()
        for await _ in events {}
    }
}

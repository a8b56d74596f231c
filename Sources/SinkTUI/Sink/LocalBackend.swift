import MonitorKitCore

/// The `tui` sink's data: the daemon's bus subscription, history, health and source actions.
struct LocalBackend: DashboardBackend {
    let runtime: RuntimeContext
    let events: Subscription
    /// Samples per source read from the history at start (the widest chart needs fewer).
    static let historyLimit = 600

    var mode: DashboardMode { .local }

    func snapshot() -> DashboardSnapshot {
        let sources = runtime.sources.map { info in
            SourceEntry(
                id: info.id, type: info.type, state: runtime.status(info.id)?.state.rawValue, actions: info.actions,
                metrics: info.metrics)
        }
        var history: [String: [Event]] = [:]
        for source in sources {
            history[source.id] = runtime.history.samples(source: source.id, limit: Self.historyLimit)
        }
        return DashboardSnapshot(version: runtime.version, startTime: runtime.startTime, sources: sources, history: history)
    }

    func feed(_ send: @escaping @Sendable (DashboardInput) -> Void) async {
        send(.snapshot(snapshot()))
        if let figures = await poll() { send(figures) }
        for await event in events {
            send(.events([event]))
        }
    }

    func poll() async -> DashboardInput? {
        var figures = PipelineState()
        figures.eventsPublished = runtime.bus.publishedCount
        figures.uptimeSeconds = Event.now() - runtime.startTime
        figures.subscriptions = runtime.bus.stats.map { s in
            PipelineState.Subscription(
                id: s.id, received: s.received, delivered: s.delivered, dropped: s.dropped,
                queued: s.queued, capacity: s.capacity, whenFull: s.whenFull.rawValue)
        }
        let states = runtime.components.filter { $0.role == .source }.map { (id: $0.id, state: $0.state.rawValue) }
        return .bus(figures, sourceStates: states)
    }

    func stats(source: String) async throws -> Sample? {
        guard runtime.sourceInfo(source)?.actions.contains("stats") == true else { return nil }
        let fields = try await runtime.invoke(source: source, action: "stats")
        return Sample(time: Event.now(), fields: fields)
    }

    func clear(source: String) async throws -> ClearSummary {
        let fields = try await runtime.invoke(source: source, action: "clear", arguments: ["reset_stats": .bool(true)])
        return ClearSummary(fields: fields) ?? ClearSummary(removed: [])
    }
}

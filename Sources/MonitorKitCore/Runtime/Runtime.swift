import Logging
import ServiceLifecycle
import Synchronization

/// The running daemon: the graph of sources and sinks built from a ``MonitordConfig``, which a
/// reload changes by difference while it runs.
///
/// ``run()`` starts every component and supervises them. On SIGINT/SIGTERM (or ``shutdown()``)
/// sources stop first, then each sink drains its queue, all within `shutdown_timeout`.
/// ``reload(to:)`` applies a new config: what did not change keeps running untouched, what
/// changed is updated in place where the component can take it, else rebuilt; what is gone stops.
/// Reloads and the component lifecycle go through one loop, one at a time.
public final class Runtime: Sendable {
    /// What sinks see of the daemon.
    public let context: RuntimeContext
    let logger: Logger
    let bus: EventBus
    let pipeline: Pipeline
    /// Makes the scheduler of a source on the runtime's clock: its run loop and its counters.
    let schedule: @Sendable (any Source, SourceSettings, SourceHealth) -> (run: @Sendable () async -> Void, stats: @Sendable () -> SourceRunStats)
    let state: Mutex<State>
    let commands: AsyncStream<Command>
    let inbox: AsyncStream<Command>.Continuation

    struct State {
        /// The config as it runs: the new one after a reload, with the old entry of any
        /// component whose new config could not be applied.
        var config: MonitordConfig
        /// Running components, sources then sinks, in config order.
        var components: [Component]
        var group: ServiceGroup?
        var stopRequested = false
        var generation = 0
        /// Called with the new `log_level` when a reload changes it.
        var logLevelHandler: (@Sendable (LogLevel) -> Void)?
    }

    enum Command: Sendable {
        case reload(MonitordConfig, CheckedContinuation<ReloadOutcome, Never>)
        case ended(Component, Result<Void, any Error>)
        case shutdown
    }

    /// The config the runtime runs now.
    public var config: MonitordConfig { state.withLock { $0.config } }

    private init<C: Clock>(config: MonitordConfig, context: RuntimeContext, logger: Logger, bus: EventBus, pipeline: Pipeline, clock: C)
    where C.Duration == Duration {
        self.context = context
        self.logger = logger
        self.bus = bus
        self.pipeline = pipeline
        let history = context.history
        self.schedule = { source, settings, health in
            let scheduler = Scheduler(
                source: source, settings: settings, clock: clock, bus: bus,
                onStateChange: { state, message in health.sampled(state, message: message) },
                onSample: { history.record($0) })
            return (run: { await scheduler.run() }, stats: { scheduler.runStats })
        }
        self.state = Mutex(State(config: config, components: []))
        (commands, inbox) = AsyncStream.makeStream(of: Command.self)
    }

    /// Builds every enabled source, then every enabled sink. A component that cannot be built
    /// (a cache directory that cannot be created, a terminal view without a terminal) throws.
    public static func build(
        config: MonitordConfig, logger: Logger, clock: any Clock<Duration> = ContinuousClock(), bus: EventBus = EventBus()
    ) async throws(RuntimeError) -> Runtime {
        try await build(config: config, logger: logger, typedClock: clock, bus: bus)
    }

    private static func build<C: Clock>(
        config: MonitordConfig, logger: Logger, typedClock clock: C, bus: EventBus
    ) async throws(RuntimeError) -> Runtime where C.Duration == Duration {
        let pipeline = Pipeline(bus: bus)
        let context = RuntimeContext(bus: bus, history: History(capacity: config.settings.history), sources: [])
        context.setConfigFile(config.file)
        pipeline.attach(context)
        let runtime = Runtime(config: config, context: context, logger: logger, bus: bus, pipeline: pipeline, clock: clock)

        let declared = ConfigCheckContext.forSources(config.sources.map { ($0.id, $0.config) })
        var components: [Component] = []
        for entry in config.sources {
            let built = try await runtime.buildSource(entry, declared: declared)
            components.append(runtime.commit(built, generation: 0))
        }
        for entry in config.sinks {
            components.append(try await runtime.buildSink(entry, generation: 0))
        }
        runtime.state.withLock { $0.components = components }
        context.onShutdownRequest { [weak runtime] in await runtime?.shutdown() }
        return runtime
    }

    /// Runs until SIGINT/SIGTERM (when `handleSignals`) or ``shutdown()``, then shuts down gracefully.
    /// Throws when a component the daemon started with fails (a port in use); a drain that
    /// outlives `shutdown_timeout` is cut short.
    public func run(handleSignals: Bool = true) async throws {
        var groupConfig = ServiceGroupConfiguration(
            services: [.init(service: Supervisor(runtime: self), successTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
            logger: logger)
        // The supervisor keeps shutdown_timeout itself; this is the backstop.
        groupConfig.maximumGracefulShutdownDuration = state.withLock { $0.config.settings.shutdownTimeout } + .seconds(2)
        groupConfig.maximumCancellationDuration = .seconds(2)
        let serviceGroup = ServiceGroup(configuration: groupConfig)
        let stopNow = state.withLock { state -> Bool in
            state.group = serviceGroup
            return state.stopRequested
        }
        if stopNow { inbox.yield(.shutdown) }
        try await serviceGroup.run()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutdown() async {
        state.withLock { $0.stopRequested = true }
        inbox.yield(.shutdown)
    }

    /// Applies `config` by difference and says what happened to each component; errors leave
    /// what ran before running. Waits for a reload already under way.
    public func reload(to config: MonitordConfig) async -> ReloadOutcome {
        await withCheckedContinuation { continuation in
            if case .terminated = inbox.yield(.reload(config, continuation)) {
                continuation.resume(returning: ReloadOutcome(file: config.file, errors: ["the daemon is shutting down"]))
            }
        }
    }

    /// Tells the runtime how to change the level of monitord's own logs on reload.
    public func onLogLevelChange(_ handler: @escaping @Sendable (LogLevel) -> Void) {
        state.withLock { $0.logLevelHandler = handler }
    }

    // MARK: supervision

    private struct Supervisor: Service {
        let runtime: Runtime
        func run() async throws { try await runtime.supervise() }
    }

    private func supervise() async throws {
        let inbox = self.inbox
        let ended: @Sendable (Component, Result<Void, any Error>) -> Void = { inbox.yield(.ended($0, $1)) }
        for component in state.withLock({ $0.components }) {
            component.launch(ended: ended)
            if !component.isSource { context.setStatus(component.id, role: .sink, type: component.sinkEntry?.settings.type ?? "", state: .ok) }
        }
        var failure: (any Error)?
        var iterator = commands.makeAsyncIterator()
        await withGracefulShutdownHandler {
            loop: while let command = await iterator.next() {
                switch command {
                case .shutdown:
                    break loop
                case .reload(let config, let reply):
                    reply.resume(returning: await apply(config))
                case .ended(let component, let result):
                    guard isCurrent(component) else { continue }
                    if component.generation == 0 {
                        // As when the daemon started: a component that ends or fails ends the daemon.
                        if case .failure(let error) = result { failure = error }
                        break loop
                    }
                    lost(component, result)
                }
            }
        } onGracefulShutdown: {
            inbox.yield(.shutdown)
        }
        await stopEverything()
        inbox.finish()
        while let command = await iterator.next() {
            if case .reload(let config, let reply) = command {
                reply.resume(returning: ReloadOutcome(file: config.file, errors: ["the daemon is shutting down"]))
            }
        }
        if let failure { throw failure }
    }

    private func isCurrent(_ component: Component) -> Bool {
        state.withLock { $0.components.contains { $0 === component } }
    }

    /// A component a reload started ended by itself: it is gone, and health says why. The
    /// rest of the daemon runs on.
    private func lost(_ component: Component, _ result: Result<Void, any Error>) {
        state.withLock { $0.components.removeAll { $0 === component } }
        let message: String
        switch result {
        case .success: message = "stopped by itself"
        case .failure(let error): message = "\(error)"
        }
        logger.error("\(component.name) stopped: \(message)")
        switch component.part {
        case .source(_, let entry, let health):
            health.retire()
            context.setStatus(component.id, role: .source, type: entry.settings.type, state: .failing, message: message)
        case .sink(_, let entry, let subscription):
            subscription.cancel()
            context.setStatus(component.id, role: .sink, type: entry.settings.type, state: .failing, message: message)
        }
    }

    /// Sources first, then sinks, each group in parallel, all within `shutdown_timeout`.
    private func stopEverything() async {
        let (components, timeout) = state.withLock { ($0.components, $0.config.settings.shutdownTimeout) }
        let deadline = ContinuousClock.now + timeout
        let sources = components.filter(\.isSource), sinks = components.filter { !$0.isSource }
        for group in [sources, sinks] {
            await withTaskGroup(of: Void.self) { tasks in
                for component in group { tasks.addTask { await component.stop(until: deadline) } }
            }
            for component in group { markStopped(component) }
        }
    }

    private func markStopped(_ component: Component) {
        switch component.part {
        case .source(_, _, let health): health.stopped()
        case .sink(_, let entry, _): context.setStatus(component.id, role: .sink, type: entry.settings.type, state: .stopped)
        }
    }

    // MARK: building

    /// A source built but not yet running: the old one, on a reload, still serves.
    struct BuiltSource {
        var source: any Source
        var entry: MonitordConfig.SourceEntry
        var info: SourceInfo
        var condition: SourceCondition
    }

    func buildSource(_ entry: MonitordConfig.SourceEntry, declared: ConfigCheckContext) async throws(RuntimeError) -> BuiltSource {
        var build = SourceBuildContext(
            id: entry.id, logger: logger.with(component: entry.id), emitter: Emitter(source: entry.id, bus: bus),
            directories: declared.directories)
        build.pipeline = pipeline
        let source: any Source
        do {
            source = try await entry.config.build(context: build)
        } catch {
            throw RuntimeError(component: "sources.\(entry.id)", message: "\(error)")
        }
        let info = SourceInfo(
            id: entry.id, type: entry.settings.type, actions: source.actions, isStore: source is any KeyValueStore,
            interval: entry.settings.interval, metrics: declared.metrics[entry.id] ?? [])
        return BuiltSource(source: source, entry: entry, info: info, condition: build.condition)
    }

    /// Puts a built source in the daemon's table (replacing one of the same id) with a health
    /// and a scheduler of its own; the component is ready to launch.
    func commit(_ built: BuiltSource, generation: Int) -> Component {
        context.install(built.source, info: built.info)
        let health = SourceHealth(id: built.info.id, type: built.info.type, context: context, condition: built.condition)
        let (run, stats) = schedule(built.source, built.entry.settings, health)
        pipeline.register(source: built.info.id, stats: stats)
        return Component(
            id: built.info.id, part: .source(built.source, built.entry, health), generation: generation,
            body: Component.sourceBody(built.source, schedule: run, logger: logger.with(component: built.info.id)))
    }

    /// Builds a sink and subscribes it; the component is ready to launch.
    func buildSink(_ entry: MonitordConfig.SinkEntry, generation: Int) async throws(RuntimeError) -> Component {
        let build = SinkBuildContext(
            id: entry.id, logger: logger.with(component: entry.id), emitter: Emitter(source: entry.id, bus: bus), runtime: context)
        let sink: any Sink
        do {
            sink = try await entry.config.build(context: build)
        } catch {
            throw RuntimeError(component: "sinks.\(entry.id)", message: "\(error)")
        }
        if generation == 0 || context.status(entry.id) == nil {
            context.setStatus(entry.id, role: .sink, type: entry.settings.type, state: .starting)
        }
        let subscription = bus.subscribe(entry.id, inputs: entry.settings.inputs, buffer: entry.settings.buffer)
        return Component(
            id: entry.id, part: .sink(sink, entry, subscription), generation: generation,
            body: Component.sinkBody(sink, id: entry.id, subscription: subscription))
    }
}

extension Logger {
    func with(component: String) -> Logger {
        var logger = self
        logger[metadataKey: "component"] = "\(component)"
        return logger
    }
}

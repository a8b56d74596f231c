import Logging
import ServiceLifecycle
import Synchronization

/// The running daemon: the graph of sources and sinks built from a ``MonitordConfig``.
///
/// ``run()`` starts everything as swift-service-lifecycle services. On SIGINT/SIGTERM (or
/// ``shutdown()``) sources stop first, then each sink drains its queue, all within
/// `shutdown_timeout`.
public final class Runtime: Sendable {
    /// The config the runtime was built from.
    public let config: MonitordConfig
    /// What sinks see of the daemon.
    public let context: RuntimeContext
    private let logger: Logger
    private let services: [any Service]
    /// The running group, and whether a shutdown was asked for before it existed.
    private let lifecycle: Mutex<(group: ServiceGroup?, stopRequested: Bool)>

    private init(config: MonitordConfig, context: RuntimeContext, logger: Logger, services: [any Service]) {
        self.config = config
        self.context = context
        self.logger = logger
        self.services = services
        self.lifecycle = Mutex((group: nil, stopRequested: false))
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
        let history = History(capacity: config.settings.history)
        let pipeline = Pipeline(bus: bus)

        var built: [(source: any Source, info: SourceInfo, settings: SourceSettings, condition: SourceCondition)] = []
        let declared = ConfigCheckContext.forSources(config.sources.map { ($0.id, $0.config) })
        for entry in config.sources {
            var context = SourceBuildContext(
                id: entry.id, logger: logger.with(component: entry.id), emitter: Emitter(source: entry.id, bus: bus),
                directories: declared.directories)
            context.pipeline = pipeline
            do {
                let source = try await entry.config.build(context: context)
                let info = SourceInfo(
                    id: entry.id, type: entry.settings.type, actions: source.actions,
                    isStore: source is any KeyValueStore, interval: entry.settings.interval,
                    metrics: declared.metrics[entry.id] ?? [])
                built.append((source, info, entry.settings, context.condition))
            } catch {
                throw RuntimeError(component: "sources.\(entry.id)", message: "\(error)")
            }
        }

        let runtimeContext = RuntimeContext(bus: bus, history: history, sources: built.map { ($0.source, $0.info) })
        pipeline.attach(runtimeContext)

        var sourceServices: [any Service] = []
        for (source, info, settings, condition) in built {
            let health = SourceHealth(id: info.id, type: info.type, context: runtimeContext, condition: condition)
            let scheduler = Scheduler(
                source: source, settings: settings, clock: clock, bus: bus,
                onStateChange: { state, message in health.sampled(state, message: message) },
                onSample: { history.record($0) })
            pipeline.register(source: info.id) { scheduler.runStats }
            sourceServices.append(SourceService(
                source: source, scheduler: scheduler, health: health, logger: logger.with(component: info.id)))
        }

        var sinkServices: [any Service] = []
        for entry in config.sinks {
            let context = SinkBuildContext(
                id: entry.id, logger: logger.with(component: entry.id), emitter: Emitter(source: entry.id, bus: bus),
                runtime: runtimeContext)
            let sink: any Sink
            do {
                sink = try await entry.config.build(context: context)
            } catch {
                throw RuntimeError(component: "sinks.\(entry.id)", message: "\(error)")
            }
            runtimeContext.setStatus(entry.id, role: .sink, type: entry.settings.type, state: .starting)
            let subscription = bus.subscribe(entry.id, inputs: entry.settings.inputs, buffer: entry.settings.buffer)
            sinkServices.append(SinkService(sink: sink, type: entry.settings.type, subscription: subscription, context: runtimeContext))
        }

        // ServiceGroup shuts services down in reverse order: sources (last) stop first.
        let runtime = Runtime(config: config, context: runtimeContext, logger: logger, services: sinkServices + sourceServices)
        runtimeContext.onShutdownRequest { [weak runtime] in await runtime?.shutdown() }
        return runtime
    }

    /// Runs until SIGINT/SIGTERM (when `handleSignals`) or ``shutdown()``, then shuts down gracefully.
    /// Throws when a component fails (a port in use); a drain that outlives `shutdown_timeout` is
    /// cut short.
    public func run(handleSignals: Bool = true) async throws {
        var groupConfig = ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [],
            logger: logger)
        groupConfig.maximumGracefulShutdownDuration = config.settings.shutdownTimeout
        groupConfig.maximumCancellationDuration = .seconds(2)
        let serviceGroup = ServiceGroup(configuration: groupConfig)
        let stopNow = lifecycle.withLock { state -> Bool in
            state.group = serviceGroup
            return state.stopRequested
        }
        if stopNow { await serviceGroup.triggerGracefulShutdown() }
        // Past shutdown_timeout the group cancels what is still draining and returns normally.
        try await serviceGroup.run()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutdown() async {
        let serviceGroup = lifecycle.withLock { state -> ServiceGroup? in
            state.stopRequested = true
            return state.group
        }
        await serviceGroup?.triggerGracefulShutdown()
    }
}

extension Logger {
    func with(component: String) -> Logger {
        var logger = self
        logger[metadataKey: "component"] = "\(component)"
        return logger
    }
}

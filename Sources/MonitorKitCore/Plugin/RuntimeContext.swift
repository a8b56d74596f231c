import Synchronization

/// The running daemon as a sink sees it: never a concrete source type, only ids, actions,
/// stores, history and health.
public final class RuntimeContext: Sendable {
    /// The bus every component publishes on; sinks subscribe for extra streams (one per SSE client).
    public let bus: EventBus
    /// The recent samples of every source.
    public let history: History
    /// Unix seconds when the runtime was built.
    public let startTime: Double
    /// The monitord version string.
    public let version: String

    /// The running sources by id and in config order, under one lock: a reload swaps them.
    private let table: Mutex<SourceTable>
    /// Health by id and the order components first reported it, under one lock so a reader
    /// never sees a status without its place in the order.
    private let health: Mutex<(statuses: [String: ComponentStatus], order: [String])>
    private let shutdownHandler: Mutex<(@Sendable () async -> Void)?>
    private let reloadHandler: Mutex<(@Sendable () async -> ReloadOutcome)?>
    private let configState: Mutex<ConfigStatus>

    struct SourceTable: Sendable {
        var entries: [String: SourceEntry]
        var order: [String]
    }

    struct SourceEntry: Sendable {
        var source: any Source
        var info: SourceInfo
    }

    init(bus: EventBus, history: History, sources: [(source: any Source, info: SourceInfo)], version: String = MonitorKit.version) {
        self.bus = bus
        self.history = history
        self.startTime = Event.now()
        self.version = version
        var entries: [String: SourceEntry] = [:]
        for (source, info) in sources { entries[info.id] = SourceEntry(source: source, info: info) }
        self.table = Mutex(SourceTable(entries: entries, order: sources.map(\.info.id)))
        self.health = Mutex((statuses: [:], order: []))
        self.shutdownHandler = Mutex(nil)
        self.reloadHandler = Mutex(nil)
        self.configState = Mutex(ConfigStatus(file: "", loadedAt: startTime))
    }

    /// Asks the daemon to shut down gracefully, as SIGTERM does (the terminal view's `q`).
    public func requestShutdown() async {
        await shutdownHandler.withLock { $0 }?()
    }

    func onShutdownRequest(_ handler: @escaping @Sendable () async -> Void) {
        shutdownHandler.withLock { $0 = handler }
    }

    /// Asks the daemon to read its config file again and apply what changed, as SIGHUP does
    /// (`POST /api/reload`). A daemon that cannot reload (one embedded without a file) refuses.
    public func requestReload() async -> ReloadOutcome {
        guard let handler = reloadHandler.withLock({ $0 }) else {
            return ReloadOutcome(file: configStatus.file, errors: ["this daemon was started without a config file to read again"])
        }
        return await handler()
    }

    /// What ``requestReload()`` runs; the `run` command sets it.
    public func onReloadRequest(_ handler: @escaping @Sendable () async -> ReloadOutcome) {
        reloadHandler.withLock { $0 = handler }
    }

    /// The config the daemon runs and how its last reload went.
    public var configStatus: ConfigStatus { configState.withLock { $0 } }

    /// Records a load of the config: a success moves the last good load, a failure keeps it.
    public func recordConfigLoad(_ outcome: ReloadOutcome) {
        configState.withLock { status in
            status.lastAttempt = outcome.time
            status.attempts += 1
            if outcome.succeeded {
                status.file = outcome.file
                status.loadedAt = outcome.time
                status.lastSucceeded = true
                status.errors = []
            } else {
                status.lastSucceeded = false
                status.failures += 1
                status.errors = outcome.errors
            }
        }
    }

    func setConfigFile(_ file: String) {
        configState.withLock { $0.file = file }
    }

    // MARK: the source table, which a reload changes

    /// Adds or replaces the source `info.id`; `order` is the config order after the change.
    func install(_ source: any Source, info: SourceInfo) {
        table.withLock { table in
            if table.entries[info.id] == nil { table.order.append(info.id) }
            table.entries[info.id] = SourceEntry(source: source, info: info)
        }
    }

    /// Takes the source `id` out: the API stops answering for it.
    func removeSource(_ id: String) {
        table.withLock { table in
            table.entries[id] = nil
            table.order.removeAll { $0 == id }
        }
    }

    /// Puts the sources in this order (the new config's), those not named last.
    func orderSources(_ ids: [String]) {
        table.withLock { table in
            let named = ids.filter { table.entries[$0] != nil }
            table.order = named + table.order.filter { !named.contains($0) }
        }
    }

    /// The running source object `id` (the runtime's own lookup).
    func runningSource(_ id: String) -> (any Source)? {
        table.withLock { $0.entries[id]?.source }
    }

    /// Forgets the health of a component that was removed.
    func removeStatus(_ id: String) {
        health.withLock { h in
            h.statuses[id] = nil
            h.order.removeAll { $0 == id }
        }
    }

    /// A context over the given sources, for tests and embedding (the daemon builds its own).
    public convenience init(
        sources: [any Source], types: [String: String] = [:], metrics: [String: [MetricDescriptor]] = [:], historyCapacity: Int = 720,
        bus: EventBus = EventBus()
    ) {
        let infos = sources.map { source in
            (source: source, info: SourceInfo(
                id: source.id, type: types[source.id] ?? source.id, actions: source.actions,
                isStore: source is any KeyValueStore, interval: .seconds(5), metrics: metrics[source.id] ?? []))
        }
        self.init(bus: bus, history: History(capacity: historyCapacity), sources: infos)
    }

    /// The sources in config order.
    public var sources: [SourceInfo] { table.withLock { t in t.order.compactMap { t.entries[$0]?.info } } }

    /// The source with this id, if any.
    public func sourceInfo(_ id: String) -> SourceInfo? { table.withLock { $0.entries[id]?.info } }

    /// Runs an action of a source by id.
    public func invoke(source id: String, action: String, arguments: Fields = Fields()) async throws -> Fields {
        guard let entry = table.withLock({ $0.entries[id] }) else { throw SourceActionError.unknownSource(id) }
        return try await entry.source.perform(action: action, arguments: arguments)
    }

    /// The key-value store of a source, when it adopts ``KeyValueStore``.
    public func store(_ id: String) -> (any KeyValueStore)? {
        table.withLock { $0.entries[id]?.source } as? any KeyValueStore
    }

    /// Health of every component, sources first, in config order.
    public var components: [ComponentStatus] {
        health.withLock { h in h.order.compactMap { h.statuses[$0] } }
    }

    /// Health of one component.
    public func status(_ id: String) -> ComponentStatus? {
        health.withLock { $0.statuses[id] }
    }

    /// Records a component's state; the runtime and scheduler call this.
    public func setStatus(_ id: String, role: ComponentStatus.Role, type: String, state: HealthState, message: String? = nil) {
        let now = Event.now()
        health.withLock { h in
            let previous = h.statuses[id]
            let since = previous?.state == state ? previous?.since ?? now : now
            h.statuses[id] = ComponentStatus(id: id, role: role, type: type, state: state, message: message, since: since)
            if previous == nil { h.order.append(id) }
        }
    }
}

import Synchronization

/// The running daemon as a sink sees it: never a concrete source type, only ids, actions,
/// stores, history and health.
public final class RuntimeContext: Sendable {
    /// The bus every component publishes on; sinks subscribe for extra streams (one per SSE client).
    public let bus: EventBus
    public let history: History
    /// Unix seconds when the runtime was built.
    public let startTime: Double
    /// The monitord version string.
    public let version: String

    private let entries: [String: SourceEntry]
    private let order: [String]
    /// Health by id and the order components first reported it, under one lock so a reader
    /// never sees a status without its place in the order.
    private let health: Mutex<(statuses: [String: ComponentStatus], order: [String])>
    private let shutdownHandler: Mutex<(@Sendable () async -> Void)?>

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
        self.entries = entries
        self.order = sources.map(\.info.id)
        self.health = Mutex((statuses: [:], order: []))
        self.shutdownHandler = Mutex(nil)
    }

    /// Asks the daemon to shut down gracefully, as SIGTERM does (the terminal view's `q`).
    public func requestShutdown() async {
        await shutdownHandler.withLock { $0 }?()
    }

    func onShutdownRequest(_ handler: @escaping @Sendable () async -> Void) {
        shutdownHandler.withLock { $0 = handler }
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
    public var sources: [SourceInfo] { order.compactMap { entries[$0]?.info } }

    /// The source with this id, if any.
    public func sourceInfo(_ id: String) -> SourceInfo? { entries[id]?.info }

    /// Runs an action of a source by id.
    public func invoke(source id: String, action: String, arguments: Fields = Fields()) async throws -> Fields {
        guard let entry = entries[id] else { throw SourceActionError.unknownSource(id) }
        return try await entry.source.perform(action: action, arguments: arguments)
    }

    /// The key-value store of a source, when it adopts ``KeyValueStore``.
    public func store(_ id: String) -> (any KeyValueStore)? {
        entries[id]?.source as? any KeyValueStore
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

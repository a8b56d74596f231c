import Synchronization

/// The daemon's view of its own pipeline: bus counters, scheduler counters and component health.
/// The `internal` source samples it.
final class Pipeline: Sendable {
    let bus: EventBus
    let startTime: Double
    private let schedulers: Mutex<[(id: String, stats: @Sendable () -> SourceRunStats)]>
    private let runtime: Mutex<RuntimeContext?>

    init(bus: EventBus) {
        self.bus = bus
        self.startTime = Event.now()
        self.schedulers = Mutex([])
        self.runtime = Mutex(nil)
    }

    func attach(_ context: RuntimeContext) {
        runtime.withLock { $0 = context }
    }

    /// Reports the scheduler of the source `id` (replacing the one a reload stopped).
    func register(source id: String, stats: @escaping @Sendable () -> SourceRunStats) {
        schedulers.withLock { list in
            if let index = list.firstIndex(where: { $0.id == id }) {
                list[index].stats = stats
            } else {
                list.append((id: id, stats: stats))
            }
        }
    }

    /// Stops reporting the source `id` (removed by a reload).
    func unregister(source id: String) {
        schedulers.withLock { $0.removeAll { $0.id == id } }
    }

    /// The `internal.stats` fields: events published, each subscription's counts, each source's run figures.
    func snapshot() -> Fields {
        var subscriptions = Fields()
        for s in bus.stats {
            subscriptions.append(s.id, .object([
                "received": .int(s.received), "delivered": .int(s.delivered), "dropped": .int(s.dropped),
                "queued": .int(s.queued), "capacity": .int(s.capacity), "when_full": .string(s.whenFull.rawValue),
            ]))
        }
        let context = runtime.withLock { $0 }
        var sources = Fields()
        for (id, read) in schedulers.withLock({ $0 }) {
            let stats = read()
            let state = context?.status(id)?.state ?? .starting
            sources.append(id, .object([
                "state": .string(state.rawValue), "samples": .int(stats.samples), "errors": .int(stats.errors),
                "overruns": .int(stats.overruns), "last_duration_seconds": .double(stats.lastDuration.seconds),
                "last_success": stats.lastSuccess.map(Value.double) ?? .null,
            ]))
        }
        return [
            "events_published": .int(bus.publishedCount),
            "uptime_seconds": .double(Event.now() - startTime),
            "subscriptions": .object(subscriptions),
            "sources": .object(sources),
        ]
    }
}

import Logging
import Synchronization

/// One running source or sink: what it was built from, the task that runs it, and how to stop it.
///
/// A source stops by cancellation (its scheduler and background work end); a sink stops when its
/// subscription is finished, after it has drained what was queued. Either is cut short by
/// ``cancel()`` when it outlives its deadline.
final class Component: Sendable {
    enum Part: Sendable {
        case source(any Source, MonitordConfig.SourceEntry, SourceHealth)
        case sink(any Sink, MonitordConfig.SinkEntry, Subscription)
    }

    let id: String
    private let current: Mutex<Part>
    /// 0 for the components the daemon started with: their failure ends the daemon, as a failed
    /// start always has. A component a reload started fails alone.
    let generation: Int
    private let body: @Sendable () async throws -> Void
    private let task = Mutex<Task<Result<Void, any Error>, Never>?>(nil)
    private let stopping = Atomic<Bool>(false)

    init(id: String, part: Part, generation: Int, body: @escaping @Sendable () async throws -> Void) {
        self.id = id
        self.current = Mutex(part)
        self.generation = generation
        self.body = body
    }

    /// What runs and the config it runs with.
    var part: Part { current.withLock { $0 } }

    /// A reload changed the config and the running component took it in place.
    func adopt(_ entry: MonitordConfig.SourceEntry) {
        current.withLock { part in
            if case .source(let source, _, let health) = part { part = .source(source, entry, health) }
        }
    }

    /// A reload changed the config and the running sink took it in place.
    func adopt(_ entry: MonitordConfig.SinkEntry) {
        current.withLock { part in
            if case .sink(let sink, _, let subscription) = part { part = .sink(sink, entry, subscription) }
        }
    }

    /// `sources.<id>` or `sinks.<id>`, as errors and reload reports name it.
    var name: String {
        switch part {
        case .source: "sources.\(id)"
        case .sink: "sinks.\(id)"
        }
    }

    var isSource: Bool {
        if case .source = part { true } else { false }
    }

    var sourceEntry: MonitordConfig.SourceEntry? {
        if case .source(_, let entry, _) = part { entry } else { nil }
    }

    var sinkEntry: MonitordConfig.SinkEntry? {
        if case .sink(_, let entry, _) = part { entry } else { nil }
    }

    /// Whether ``stop()`` was called: an end after it is expected, not a failure.
    var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Starts the task; `ended` hears of an end nobody asked for.
    func launch(ended: @escaping @Sendable (Component, Result<Void, any Error>) -> Void) {
        let body = body
        let running = Task { [self] () -> Result<Void, any Error> in
            let result: Result<Void, any Error>
            do {
                try await body()
                result = .success(())
            } catch {
                result = .failure(error)
            }
            if !isStopping { ended(self, result) }
            return result
        }
        task.withLock { $0 = running }
    }

    /// Asks the component to stop: cancels a source, finishes a sink's subscription.
    func stop() {
        stopping.store(true, ordering: .relaxed)
        switch part {
        case .source: task.withLock { $0 }?.cancel()
        case .sink(_, _, let subscription): subscription.finish()
        }
    }

    /// Stops it now, queued events or not.
    func cancel() {
        stopping.store(true, ordering: .relaxed)
        task.withLock { $0 }?.cancel()
    }

    /// Waits for the task to end (at once if it never started).
    @discardableResult
    func finished() async -> Result<Void, any Error> {
        guard let running = task.withLock({ $0 }) else { return .success(()) }
        return await running.value
    }

    /// Stops the component and waits for it until `deadline`, then cancels it (a plugin that
    /// ignores cancellation is left behind: see `abandoningOnCancel`).
    func stop(until deadline: ContinuousClock.Instant) async {
        stop()
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.finished(); return true }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return false
            }
            if await group.next() == false { cancel() }
            group.cancelAll()
        }
    }

    /// The body of a sink: it consumes its subscription until the subscription is finished.
    static func sinkBody(_ sink: any Sink, id: String, subscription: Subscription) -> @Sendable () async throws -> Void {
        {
            do {
                try await abandoningOnCancel { try await sink.run(events: subscription) }
            } catch is CancellationError {
                return
            } catch let error as RuntimeError {
                throw error
            } catch {
                throw RuntimeError(component: "sinks.\(id)", message: "\(error)")
            }
        }
    }

    /// The body of a source: its scheduler and its own background work, until cancelled.
    static func sourceBody(
        _ source: any Source, schedule: @escaping @Sendable () async -> Void, logger: Logger
    ) -> @Sendable () async throws -> Void {
        {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await schedule() }
                group.addTask {
                    do {
                        try await abandoningOnCancel { try await source.run() }
                    } catch is CancellationError {
                    } catch {
                        logger.error("background work stopped", metadata: ["source": "\(source.id)", "error": "\(error)"])
                    }
                }
                await group.waitForAll()
            }
        }
    }
}

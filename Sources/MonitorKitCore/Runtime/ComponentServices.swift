import Logging
import ServiceLifecycle

/// Runs one source for the daemon's lifetime: its scheduler and its own background work.
struct SourceService<C: Clock>: Service where C.Duration == Duration {
    let source: any Source
    let scheduler: Scheduler<C>
    let health: SourceHealth
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await scheduler.run() }
                group.addTask {
                    do {
                        let source = self.source
                        try await abandoningOnCancel { try await source.run() }
                    } catch is CancellationError {
                    } catch {
                        logger.error("background work stopped", metadata: ["source": "\(source.id)", "error": "\(error)"])
                    }
                }
                await group.waitForAll()
            }
        }
        health.stopped()
    }
}

/// Runs one sink: it consumes its subscription, which graceful shutdown finishes so the sink
/// drains what is queued and returns.
struct SinkService: Service {
    let sink: any Sink
    let type: String
    let subscription: Subscription
    let context: RuntimeContext

    func run() async throws {
        context.setStatus(sink.id, role: .sink, type: type, state: .ok)
        defer { context.setStatus(sink.id, role: .sink, type: type, state: .stopped) }
        do {
            try await withGracefulShutdownHandler {
                let (sink, subscription) = (self.sink, self.subscription)
                try await abandoningOnCancel { try await sink.run(events: subscription) }
            } onGracefulShutdown: {
                subscription.finish()
            }
        } catch is CancellationError {
            return
        } catch let error as RuntimeError {
            throw error
        } catch {
            throw RuntimeError(component: "sinks.\(sink.id)", message: "\(error)")
        }
    }
}

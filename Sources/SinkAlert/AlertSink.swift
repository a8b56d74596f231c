import AsyncHTTPClient
import Logging
import MonitorKitCore
import Synchronization

/// The running `type: alerts` sink: evaluates the rules on every metric sample it receives,
/// publishes each state change as an `alert` event and hands firing and resolved alerts to its
/// notifiers.
public final class AlertSink: ReconfigurableSink {
    /// The component id from `monitord.yaml`.
    public let id: String
    let config: AlertSinkConfig
    private let emitter: Emitter
    private let logger: Logger
    private let clock: any Clock<Duration>
    private let workers: [NotifierWorker]
    /// How long shutdown waits for queued notices to go out.
    let drainTimeout: Duration
    /// A rule list a reload handed over, taken up before the next event.
    private let newRules = Mutex<[AlertRule]?>(nil)

    /// - Parameter clock: Times retry backoff and the shutdown drain; rule evaluation uses each
    ///   sample's own timestamp and needs no clock.
    public init(id: String, config: AlertSinkConfig, emitter: Emitter, logger: Logger,
                clock: any Clock<Duration> = ContinuousClock(), drainTimeout: Duration = .seconds(5)) {
        self.id = id
        self.config = config
        self.emitter = emitter
        self.logger = logger
        self.clock = clock
        self.drainTimeout = drainTimeout
        workers = config.notifiers.map { NotifierWorker(config: $0, externalURL: config.externalURL) }
    }

    /// Delivery counters by notifier name, in config order.
    public var notifierStats: [(name: String, stats: NotifierStats)] {
        workers.map { (name: $0.config.name, stats: $0.stats) }
    }

    /// Evaluates the rules on every sample and delivers notifications until the subscription ends.
    public func run(events: Subscription) async throws {
        // Alert events go out from a task of their own: the sink's subscription sees its own
        // events (inputs default to all), so publishing inline into a full `block` queue would
        // wait on the very loop that drains it.
        let (outbox, mailman) = AsyncStream.makeStream(of: Event.self)
        let client = workers.isEmpty ? nil : HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: NotifierWorker.clientConfiguration)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [emitter] in
                for await event in outbox { await emitter.emit(event) }
            }
            await withTaskGroup(of: Bool.self) { delivery in
                if let client {
                    for worker in workers {
                        delivery.addTask { [logger, clock, id] in
                            await worker.run(client: client, logger: logger, clock: clock) { notice, reason, attempts in
                                let failed = worker.stats.failed
                                mailman.yield(Event(source: id, name: "notification.failed", kind: .event, fields: [
                                    "notifier": .string(worker.config.name), "type": .string(worker.config.kind.rawValue),
                                    "alertname": .string(notice.alertname), "status": .string(notice.status.rawValue),
                                    "error": .string(reason), "attempts": .int(attempts), "failed_total": .int(failed),
                                ]))
                            }
                            return true
                        }
                    }
                }
                await evaluate(events, outbox: mailman)
                for worker in workers { worker.finish() }
                delivery.addTask { [clock, drainTimeout] in
                    try? await clock.sleep(for: drainTimeout)
                    return false
                }
                var running = client == nil ? 0 : workers.count
                while running > 0, let finishedWorker = await delivery.next() {
                    if finishedWorker { running -= 1 } else {
                        logger.warning("alerts sink \(id): notices still queued after \(drainTimeout) at shutdown; giving up on them")
                        break
                    }
                }
                delivery.cancelAll()
            }
            mailman.finish()
        }
        if let client { try? await client.shutdown() }
    }

    /// Takes a new rule list in place when nothing else of the sink changed (its notifiers, its
    /// external URL): rules that stayed keep their state. Anything else needs a new sink.
    public func reconfigure(to config: any SinkConfig) async -> Bool {
        guard let config = config as? AlertSinkConfig,
            String(reflecting: config.notifiers) == String(reflecting: self.config.notifiers),
            config.externalURL == self.config.externalURL
        else { return false }
        newRules.withLock { $0 = config.rules }
        return true
    }

    /// Runs the rules over the subscription until it ends.
    private func evaluate(_ events: Subscription, outbox: AsyncStream<Event>.Continuation) async {
        var engine = AlertEngine(sinkID: id, rules: config.rules)
        var policies = config.notifiers.map { NotificationPolicy(repeatInterval: $0.repeatInterval, sendResolved: $0.sendResolved) }
        for await event in events where event.kind == .metric && event.source != id {
            var transitions: [AlertTransition] = []
            if let rules = newRules.withLock({ $0.take() }) {
                transitions = engine.replaceRules(rules, at: event.time)
                logger.info("alerts sink \(id): \(rules.count) rules now (\(transitions.count) withdrawn)")
            }
            transitions += engine.transitions(for: event)
            for transition in transitions {
                outbox.yield(transition.event(source: id))
                let level: Logger.Level = transition.state == .firing || transition.state == .pending ? .warning : .info
                logger.log(level: level, "alert \(transition.alertname) \(transition.previousState.rawValue) -> \(transition.state.rawValue): \(transition.summary)")
            }
            guard !workers.isEmpty else { continue }
            let firing = engine.firing
            for index in workers.indices {
                for notice in policies[index].notices(transitions: transitions, firing: firing, now: event.time) {
                    workers[index].enqueue(notice)
                }
            }
        }
    }
}

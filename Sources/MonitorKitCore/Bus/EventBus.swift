import Synchronization

/// The in-process event bus: every published event is offered to each subscription whose inputs
/// match its source (except the publisher's own), and each subscription has a bounded queue of its own.
///
/// `publish` never waits for a subscriber with a drop policy, so one slow or dead sink cannot slow
/// a source or another sink; only a `block` subscriber with a full queue makes the publisher wait.
public final class EventBus: Sendable {
    private let subscriptions: Mutex<[Subscription]>
    private let published: Atomic<Int>

    /// A bus with no subscriptions yet.
    public init() {
        subscriptions = Mutex([])
        published = Atomic(0)
    }

    /// A new subscription; consume it with `for await event in subscription`.
    public func subscribe(_ id: String, inputs: InputFilter = .all, buffer: BufferPolicy = BufferPolicy()) -> Subscription {
        let subscription = Subscription(id: id, inputs: inputs, buffer: buffer, bus: self)
        subscriptions.withLock { $0.append(subscription) }
        return subscription
    }

    /// Offers `event` to every matching subscription.
    public func publish(_ event: Event) async {
        published.add(1, ordering: .relaxed)
        let current = subscriptions.withLock { $0 }
        // A component never receives its own events: the alert sink publishes `alert` events
        // and must not feed them back into its own (possibly full, blocking) queue.
        for subscription in current where subscription.id != event.source && subscription.inputs.matches(event.source) {
            await subscription.offer(event)
        }
    }

    /// Ends every subscription: each consumer gets the events already queued, then the end.
    public func finishAll() {
        for subscription in subscriptions.withLock({ $0 }) { subscription.finish() }
    }

    /// Events published since the bus was made.
    public var publishedCount: Int { published.load(ordering: .relaxed) }

    /// The counters of every live subscription, in subscription order.
    public var stats: [SubscriptionStats] {
        subscriptions.withLock { $0 }.map(\.stats)
    }

    func remove(_ subscription: Subscription) {
        subscriptions.withLock { $0.removeAll { $0 === subscription } }
    }
}

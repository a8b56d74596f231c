/// The counters of one subscription.
public struct SubscriptionStats: Sendable, Equatable {
    /// The subscription's id: the sink's component id.
    public var id: String
    /// Events offered to this subscription (matching its inputs).
    public var received: Int
    /// Events taken by the consumer.
    public var delivered: Int
    /// Events discarded because the queue was full.
    public var dropped: Int
    /// Events waiting in the queue now.
    public var queued: Int
    /// The most events the queue holds (`buffer.max_events`).
    public var capacity: Int
    /// What happens when the queue is full (`buffer.when_full`).
    public var whenFull: WhenFull
}

/// The counters of one subscription.
public struct SubscriptionStats: Sendable, Equatable {
    public var id: String
    /// Events offered to this subscription (matching its inputs).
    public var received: Int
    /// Events taken by the consumer.
    public var delivered: Int
    /// Events discarded because the queue was full.
    public var dropped: Int
    /// Events waiting in the queue now.
    public var queued: Int
    public var capacity: Int
    public var whenFull: WhenFull
}

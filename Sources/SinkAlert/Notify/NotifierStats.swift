/// The delivery counters of one notifier.
public struct NotifierStats: Sendable, Equatable {
    /// Notices the receiver accepted (2xx).
    public var sent = 0
    /// Notices given up on after every attempt failed.
    public var failed = 0
    /// Attempts repeated after a failure.
    public var retries = 0
    /// Notices discarded because the queue of a stuck receiver was full.
    public var dropped = 0
    /// Notices waiting in the queue.
    public var queued = 0

    /// Nothing sent yet.
    public init() {}
}

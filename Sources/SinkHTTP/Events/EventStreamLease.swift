import MonitorKitCore

/// One client's place among the event streams. The response body holds it: when the body has
/// run, or is released without running (the client reset before the head was written), the
/// subscription is cancelled and the place is free.
final class EventStreamLease: Sendable {
    private let streams: EventStreams
    let number: Int
    let subscription: Subscription

    init(streams: EventStreams, number: Int, subscription: Subscription) {
        self.streams = streams
        self.number = number
        self.subscription = subscription
    }

    /// Leaves the bus now; safe to call more than once.
    func close() {
        streams.close(number)
    }

    deinit {
        streams.close(number)
    }
}

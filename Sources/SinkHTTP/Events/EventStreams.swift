import MonitorKitCore
import Synchronization

/// The live `/api/events` clients, at most `max_event_streams` of them: each has its own bus
/// subscription, `<sink id>/sse-N`, held by an ``EventStreamLease`` that leaves the bus when the
/// client goes away or when the response is dropped unwritten, so a vanished client leaks nothing.
final class EventStreams: Sendable {
    private let sinkID: String
    private let bus: EventBus
    /// `max_event_streams`.
    let limit: Int
    private let state: Mutex<State>

    private struct State {
        var next = 1
        var open: [Int: Subscription] = [:]
        var closed = false
    }

    /// What ``open(inputs:capacity:)`` gives.
    enum Opening {
        case opened(EventStreamLease)
        /// `limit` clients are connected already.
        case full
        /// The sink is shutting down.
        case closed
    }

    init(sinkID: String, bus: EventBus, limit: Int) {
        self.sinkID = sinkID
        self.bus = bus
        self.limit = limit
        self.state = Mutex(State())
    }

    /// A new subscription for one client with a queue of `capacity` events.
    func open(inputs: InputFilter, capacity: Int) -> Opening {
        let opened = state.withLock { s -> (Int, Subscription)? in
            guard !s.closed, s.open.count < limit else { return nil }
            let number = s.next
            s.next += 1
            // A slow client loses its oldest events rather than holding up the bus.
            let subscription = bus.subscribe(
                "\(sinkID)/sse-\(number)", inputs: inputs, buffer: BufferPolicy(maxEvents: capacity, whenFull: .dropOldest))
            s.open[number] = subscription
            return (number, subscription)
        }
        guard let (number, subscription) = opened else {
            return state.withLock { $0.closed } ? .closed : .full
        }
        return .opened(EventStreamLease(streams: self, number: number, subscription: subscription))
    }

    /// Leaves the bus for client `number`; safe to call more than once.
    func close(_ number: Int) {
        state.withLock { $0.open.removeValue(forKey: number) }?.cancel()
    }

    /// Ends every stream and refuses new ones: the server cannot stop while a stream is open.
    func closeAll() {
        let open = state.withLock { s -> [Subscription] in
            s.closed = true
            defer { s.open.removeAll() }
            return Array(s.open.values)
        }
        for subscription in open { subscription.cancel() }
    }

    /// Clients connected now.
    var count: Int {
        state.withLock { $0.open.count }
    }
}

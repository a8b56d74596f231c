import MonitorKitCore
import Synchronization

/// The live `/api/events` clients: each has its own bus subscription, `<sink id>/sse-N`, which is
/// cancelled when the client goes away so a dropped connection leaks nothing.
final class EventStreams: Sendable {
    private let sinkID: String
    private let bus: EventBus
    private let state: Mutex<State>

    private struct State {
        var next = 1
        var open: [Int: Subscription] = [:]
        var closed = false
    }

    init(sinkID: String, bus: EventBus) {
        self.sinkID = sinkID
        self.bus = bus
        self.state = Mutex(State())
    }

    /// A new subscription for one client with a queue of `capacity` events, or `nil` once the
    /// sink is shutting down.
    func open(inputs: InputFilter, capacity: Int) -> (number: Int, subscription: Subscription)? {
        state.withLock { s -> (Int, Subscription)? in
            guard !s.closed else { return nil }
            let number = s.next
            s.next += 1
            // A slow client loses its oldest events rather than holding up the bus.
            let subscription = bus.subscribe(
                "\(sinkID)/sse-\(number)", inputs: inputs, buffer: BufferPolicy(maxEvents: capacity, whenFull: .dropOldest))
            s.open[number] = subscription
            return (number, subscription)
        }
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

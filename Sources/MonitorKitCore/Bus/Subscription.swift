import DequeModule
import Synchronization

/// One consumer's bounded queue on the ``EventBus``; an `AsyncSequence` of events with a single
/// consumer.
///
/// The sequence ends after ``finish()`` once the queued events are consumed, or at once after
/// ``cancel()``.
public final class Subscription: AsyncSequence, Sendable {
    /// The events delivered to this subscription, in publish order.
    public typealias Element = Event

    /// The subscription's id: the sink's component id.
    public let id: String
    /// The sources whose events this subscription receives.
    public let inputs: InputFilter
    /// The queue's size and what happens when it is full.
    public let buffer: BufferPolicy
    private let state: Mutex<State>
    private weak let bus: EventBus?

    /// The consumer takes up to this many events per lock, so a busy bus wakes it rarely.
    static let batchSize = 64
    /// How often an idle consumer yields before it parks.
    static let yieldsBeforeParking = 2

    struct State: ~Copyable {
        var queue = Deque<Event>()
        var finished = false
        var consumer: UnsafeContinuation<Void, Never>?
        var blocked: [(id: Int, continuation: UnsafeContinuation<Void, Never>)] = []
        var nextWaiterID = 0
        var received = 0
        var delivered = 0
        var dropped = 0
    }

    init(id: String, inputs: InputFilter, buffer: BufferPolicy, bus: EventBus) {
        self.id = id
        self.inputs = inputs
        self.buffer = buffer
        self.bus = bus
        self.state = Mutex(State())
    }

    /// The counters now.
    public var stats: SubscriptionStats {
        state.withLock { s in
            SubscriptionStats(
                id: id, received: s.received, delivered: s.delivered, dropped: s.dropped,
                queued: s.queue.count, capacity: buffer.maxEvents, whenFull: buffer.whenFull)
        }
    }

    /// Ends the stream after what is queued; publishers waiting on a full `block` queue go on.
    public func finish() {
        let (consumer, blocked) = state.withLock { s in
            s.finished = true
            return (s.consumer.take(), s.blocked.take())
        }
        consumer?.resume()
        for waiter in blocked { waiter.continuation.resume() }
    }

    /// Ends the stream now, discarding what is queued, and leaves the bus (a client went away).
    public func cancel() {
        bus?.remove(self)
        let (consumer, blocked) = state.withLock { s in
            s.finished = true
            s.queue.removeAll()
            return (s.consumer.take(), s.blocked.take())
        }
        consumer?.resume()
        for waiter in blocked { waiter.continuation.resume() }
    }

    private enum Offer {
        case done(wake: UnsafeContinuation<Void, Never>?)
        case full
    }

    func offer(_ event: Event) async {
        while true {
            let outcome = state.withLock { s -> Offer in
                if s.finished { return .done(wake: nil) }
                if s.queue.count < buffer.maxEvents {
                    s.received += 1
                    s.queue.append(event)
                    return .done(wake: s.consumer.take())
                }
                switch buffer.whenFull {
                case .dropOldest:
                    s.received += 1
                    s.dropped += 1
                    s.queue.removeFirst()
                    s.queue.append(event)
                    return .done(wake: s.consumer.take())
                case .dropNewest:
                    s.received += 1
                    s.dropped += 1
                    return .done(wake: nil)
                case .block:
                    return .full
                }
            }
            switch outcome {
            case .done(let wake):
                wake?.resume()
                return
            case .full:
                await waitForRoom()
                if Task.isCancelled {
                    state.withLock { s in
                        s.received += 1
                        s.dropped += 1
                    }
                    return
                }
            }
        }
    }

    private func waitForRoom() async {
        let id = state.withLock { s in
            s.nextWaiterID += 1
            return s.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.finished || s.queue.count < buffer.maxEvents || Task.isCancelled { return true }
                    s.blocked.append((id: id, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { s -> UnsafeContinuation<Void, Never>? in
                guard let index = s.blocked.firstIndex(where: { $0.id == id }) else { return nil }
                return s.blocked.remove(at: index).continuation
            }
            waiter?.resume()
        }
    }

    private enum Take {
        case events(wake: [UnsafeContinuation<Void, Never>])
        case end
        case wait
    }

    /// Moves up to `batchSize` events into `batch` (reusing its storage), or says to wait or stop.
    private func take(into batch: inout [Event]) -> Take {
        state.withLock { s -> Take in
            if s.queue.isEmpty { return s.finished ? .end : .wait }
            let n = Swift.min(Self.batchSize, s.queue.count)
            batch.removeAll(keepingCapacity: true)
            batch.append(contentsOf: s.queue.prefix(n))
            s.queue.removeFirst(n)
            s.delivered += n
            return .events(wake: s.blocked.isEmpty ? [] : s.blocked.take().map(\.continuation))
        }
    }

    private func waitForEvents() async {
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if !s.queue.isEmpty || s.finished || Task.isCancelled { return true }
                    let previous = s.consumer
                    s.consumer = continuation
                    // A second concurrent iterator is a misuse; wake the first so neither hangs.
                    previous?.resume()
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.consumer.take() }?.resume()
        }
    }

    /// Takes events from the queue; one iterator per subscription.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let subscription: Subscription
        var batch: [Event] = []
        var position = 0

        /// The next event, waiting for one; `nil` once the subscription is closed and drained.
        public mutating func next() async -> Event? {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            var idle = 0
            while true {
                if Task.isCancelled { return nil }
                switch subscription.take(into: &batch) {
                case .events(let wake):
                    for waiter in wake { waiter.resume() }
                    position = 1
                    return batch[0]
                case .end:
                    return nil
                case .wait:
                    // A busy publisher refills the queue within a few yields; parking and being
                    // woken for every event would cost more than the event itself.
                    if idle < Subscription.yieldsBeforeParking {
                        idle += 1
                        await Task.yield()
                    } else {
                        idle = 0
                        await subscription.waitForEvents()
                    }
                }
            }
        }
    }

    /// The iterator over this subscription's events.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(subscription: self)
    }
}

extension Array {
    fileprivate mutating func take() -> Array {
        defer { self = [] }
        return self
    }
}

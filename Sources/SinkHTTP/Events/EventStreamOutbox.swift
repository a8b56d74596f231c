import NIOCore
import Synchronization

/// Hands chunks of one event stream from the producers (the event forwarder and the heartbeat
/// timer) to the single task writing the response.
///
/// It holds at most one event chunk, so a slow client pushes back on the forwarder and the bus
/// subscription's own bounded queue does the dropping (and counts it). A heartbeat never waits:
/// it is a flag the writer turns into a comment line when nothing else is pending.
final class EventStreamOutbox: Sendable {
    private let state: Mutex<State>

    private struct State: ~Copyable {
        var pending: ByteBuffer?
        var heartbeatDue = false
        var finished = false
        var writer: CheckedContinuation<Void, Never>?
        var producer: CheckedContinuation<Void, Never>?
    }

    static let heartbeat = ByteBuffer(string: ": heartbeat\n\n")

    init() {
        state = Mutex(State())
    }

    /// Queues an event chunk, waiting while the previous one has not been written.
    func send(_ chunk: ByteBuffer) async {
        while true {
            let outcome = state.withLock { s -> (done: Bool, wake: CheckedContinuation<Void, Never>?) in
                if s.finished { return (true, nil) }
                guard s.pending == nil else { return (false, nil) }
                s.pending = chunk
                return (true, s.writer.take())
            }
            if outcome.done {
                outcome.wake?.resume()
                return
            }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { s -> Bool in
                    if s.finished || s.pending == nil { return true }
                    s.producer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Asks for a heartbeat comment unless an event goes out first.
    func requestHeartbeat() {
        state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.heartbeatDue = true
            return s.writer.take()
        }?.resume()
    }

    /// Ends the stream: the writer gets `nil` once what is pending is written.
    func finish() {
        let (writer, producer) = state.withLock { s in
            s.finished = true
            return (s.writer.take(), s.producer.take())
        }
        writer?.resume()
        producer?.resume()
    }

    /// The next chunk to write, or `nil` at the end.
    func next() async -> ByteBuffer? {
        while true {
            let taken = state.withLock { s -> (chunk: ByteBuffer?, end: Bool, wake: CheckedContinuation<Void, Never>?) in
                if let chunk = s.pending.take() {
                    s.heartbeatDue = false
                    return (chunk, false, s.producer.take())
                }
                if s.finished { return (nil, true, nil) }
                if s.heartbeatDue {
                    s.heartbeatDue = false
                    return (Self.heartbeat, false, nil)
                }
                return (nil, false, nil)
            }
            taken.wake?.resume()
            if let chunk = taken.chunk { return chunk }
            if taken.end { return nil }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { s -> Bool in
                    if s.finished || s.pending != nil || s.heartbeatDue { return true }
                    s.writer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }
}

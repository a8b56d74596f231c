import NIOCore
import Synchronization

/// Counts the server's connections and keeps them at `limit`. A connection over the cap makes
/// room by closing the connection that has waited longest with no request in progress (idle
/// keep-alive, or a head still arriving), so idle clients can never lock out a new one; only when
/// every connection is mid-exchange is the new one refused.
final class ConnectionLimiter: Sendable {
    /// The effective `max_connections`.
    let limit: Int
    private let state = Mutex(State())

    private struct State {
        var connections: [ObjectIdentifier: Entry] = [:]
        /// Orders idle periods: the smallest `idleSince` has waited longest.
        var tick: UInt64 = 0
    }

    private struct Entry {
        let channel: any Channel
        /// A request head has been read and its response is not finished.
        var busy = false
        var idleSince: UInt64
    }

    /// What to do with a new connection.
    enum Admission {
        /// Serve it, after closing `evicting` if there is one.
        case admitted(evicting: (any Channel)?)
        /// Every connection is mid-exchange: answer 503 and close.
        case refused
    }

    init(limit: Int) {
        self.limit = limit
    }

    func admit(_ channel: any Channel) -> Admission {
        state.withLock { s in
            s.tick += 1
            var evicting: (any Channel)?
            if s.connections.count >= limit {
                let oldestIdle = s.connections.filter { !$0.value.busy }.min { $0.value.idleSince < $1.value.idleSince }
                guard let (id, entry) = oldestIdle else { return .refused }
                s.connections[id] = nil
                evicting = entry.channel
            }
            s.connections[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: s.tick)
            return .admitted(evicting: evicting)
        }
    }

    /// The connection closed.
    func release(_ channel: any Channel) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// A request head arrived: the connection is serving it and is not to be evicted.
    func exchangeStarted(on channel: any Channel) {
        state.withLock { $0.connections[ObjectIdentifier(channel)]?.busy = true }
    }

    /// The response ended: the connection waits for its next request.
    func exchangeEnded(on channel: any Channel) {
        state.withLock { s in
            s.tick += 1
            s.connections[ObjectIdentifier(channel)]?.busy = false
            s.connections[ObjectIdentifier(channel)]?.idleSince = s.tick
        }
    }

    /// Connections served now.
    var count: Int {
        state.withLock { $0.connections.count }
    }
}

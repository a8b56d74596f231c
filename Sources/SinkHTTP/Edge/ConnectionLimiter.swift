import NIOCore
import Synchronization

/// Counts the server's connections and keeps them at `limit`. A connection over the cap makes
/// room by closing one that is not doing useful work: first the one that has waited longest with
/// no request in progress (idle keep-alive, or a head still arriving), else the one whose request
/// body has stalled longest (slowloris through the body). Only when every connection is answering
/// a request, or receiving one that keeps moving, is the new one refused.
final class ConnectionLimiter: Sendable {
    /// The effective `max_connections`.
    let limit: Int
    /// How long a request body may pause before its connection may be closed to make room.
    let stallAllowance: Duration
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    private struct State {
        var connections: [ObjectIdentifier: Entry] = [:]
        /// Orders idle periods: the smallest `idleSince` has waited longest.
        var tick: UInt64 = 0
    }

    private enum Phase {
        /// No request, or a head not yet complete.
        case idle
        /// A head has been read; its body is arriving.
        case receiving
        /// The request has been read and its response is not finished (an event stream stays here).
        case answering
    }

    private struct Entry {
        let channel: any Channel
        var phase = Phase.idle
        var idleSince: UInt64
        /// When a byte of the request body last arrived (or its head).
        var lastProgress: ContinuousClock.Instant
    }

    /// What to do with a new connection.
    enum Admission {
        /// Serve it, after closing `evicting` if there is one.
        case admitted(evicting: (any Channel)?)
        /// Every connection is mid-exchange: answer 503 and close.
        case refused
    }

    init(limit: Int, stallAllowance: Duration = .seconds(1)) {
        self.limit = limit
        self.stallAllowance = stallAllowance
    }

    func admit(_ channel: any Channel) -> Admission {
        let now = clock.now
        return state.withLock { s in
            s.tick += 1
            var evicting: (any Channel)?
            if s.connections.count >= limit {
                guard let id = victim(in: s, now: now), let entry = s.connections.removeValue(forKey: id) else { return .refused }
                evicting = entry.channel
            }
            s.connections[ObjectIdentifier(channel)] = Entry(channel: channel, idleSince: s.tick, lastProgress: now)
            return .admitted(evicting: evicting)
        }
    }

    /// The idle connection that has waited longest, else the receiving one stalled longest.
    private func victim(in s: State, now: ContinuousClock.Instant) -> ObjectIdentifier? {
        var idle: (id: ObjectIdentifier, since: UInt64)?
        var stalled: (id: ObjectIdentifier, since: ContinuousClock.Instant)?
        for (id, entry) in s.connections {
            switch entry.phase {
            case .idle:
                if idle.map({ entry.idleSince < $0.since }) ?? true { idle = (id, entry.idleSince) }
            case .receiving where now - entry.lastProgress >= stallAllowance:
                if stalled.map({ entry.lastProgress < $0.since }) ?? true { stalled = (id, entry.lastProgress) }
            case .receiving, .answering:
                break
            }
        }
        return idle?.id ?? stalled?.id
    }

    /// The connection closed.
    func release(_ channel: any Channel) {
        _ = state.withLock { $0.connections.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// A request head arrived: its body comes next.
    func requestStarted(on channel: any Channel) {
        let now = clock.now
        state.withLock { s in
            s.connections[ObjectIdentifier(channel)]?.phase = .receiving
            s.connections[ObjectIdentifier(channel)]?.lastProgress = now
        }
    }

    /// A part of the request body arrived.
    func bodyProgressed(on channel: any Channel) {
        let now = clock.now
        state.withLock { $0.connections[ObjectIdentifier(channel)]?.lastProgress = now }
    }

    /// The request has been read in full: the connection is answering it and is not to be evicted.
    func requestRead(on channel: any Channel) {
        state.withLock { $0.connections[ObjectIdentifier(channel)]?.phase = .answering }
    }

    /// The response ended: the connection waits for its next request.
    func exchangeEnded(on channel: any Channel) {
        state.withLock { s in
            s.tick += 1
            s.connections[ObjectIdentifier(channel)]?.phase = .idle
            s.connections[ObjectIdentifier(channel)]?.idleSince = s.tick
        }
    }

    /// Connections served now.
    /// Ends every open connection, e.g. after the client CA changed (they were let in under the
    /// old one): an idle one closes now, before it can read another request; one with a request
    /// in flight closes once that is answered (a quiesce, as at shutdown). Decided on each
    /// connection's event loop, where its phase changes.
    func closeAll() {
        let channels = state.withLock { $0.connections.values.map(\.channel) }
        for channel in channels {
            channel.eventLoop.execute {
                let id = ObjectIdentifier(channel)
                let idle = self.state.withLock { $0.connections[id]?.phase ?? .idle } == .idle
                if idle {
                    if let gate = try? channel.pipeline.syncOperations.handler(type: InboundGate.self) {
                        gate.shutAndClose(context: channel)
                    } else {
                        channel.close(promise: nil)
                    }
                } else {
                    channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
                }
            }
        }
    }

    var count: Int {
        state.withLock { $0.connections.count }
    }

    /// Connections whose request body is still arriving.
    var receiving: Int {
        state.withLock { $0.connections.values.filter { $0.phase == .receiving }.count }
    }
}

import Synchronization

/// The last N metric samples of every source, kept in one ring buffer per source.
///
/// The HTTP history endpoint, the dashboard charts and the terminal sparklines read it.
public final class History: Sendable {
    /// How many samples are kept per source (`monitord.history`).
    public let capacity: Int
    private let rings: Mutex<[String: Ring]>

    struct Ring {
        var slots: [Event] = []
        var next = 0

        mutating func append(_ event: Event, capacity: Int) {
            if slots.count < capacity {
                slots.append(event)
            } else {
                slots[next] = event
                next = (next + 1) % capacity
            }
        }

        /// Oldest first.
        var ordered: [Event] {
            Array(slots[next...] + slots[..<next])
        }
    }

    /// A history keeping the last `capacity` samples of each source.
    public init(capacity: Int = 720) {
        self.capacity = max(1, capacity)
        self.rings = Mutex([:])
    }

    /// Keeps a metric event; other kinds are ignored.
    public func record(_ event: Event) {
        guard event.kind == .metric else { return }
        rings.withLock { rings in
            rings[event.source, default: Ring()].append(event, capacity: capacity)
        }
    }

    /// Samples of `source` taken after `since` (Unix seconds), oldest first, at most the newest `limit`.
    public func samples(source: String, since: Double? = nil, limit: Int? = nil) -> [Event] {
        var events = rings.withLock { $0[source]?.ordered ?? [] }
        if let since { events.removeAll { $0.time <= since } }
        if let limit, limit >= 0, events.count > limit { events.removeFirst(events.count - limit) }
        return events
    }

    /// The newest sample of `source`.
    public func latest(source: String) -> Event? {
        rings.withLock { rings in
            guard let ring = rings[source], !ring.slots.isEmpty else { return nil }
            return ring.slots[(ring.next + ring.slots.count - 1) % ring.slots.count]
        }
    }
}

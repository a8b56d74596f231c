import NIOCore

/// The memory tier: at most `capacity` entries and `maxBytes` bytes of values, in
/// least-recently-used order. A value over `maxValueBytes` is never held (it is served from disk).
///
/// Laid out for the hit path, which must cost little more than a dictionary lookup: the key
/// index maps to a slot of the ``RecencyList``, whose node holds what a hit checks (expiry and
/// recorded generation) beside the links; keys, values and metadata live in arrays indexed by the
/// same slot. So a hit reads one node, rewrites four links and retains one value, with no copy of
/// the entry.
struct MemoryTier {
    private(set) var capacity: Int
    /// The most bytes of values held at once.
    private(set) var maxBytes: Int
    /// The largest value held; larger ones stay on disk only.
    private(set) var maxValueBytes: Int
    /// The plain fields of an entry, kept in the recency list's node.
    private struct Recorded {
        var expires: Double
        var created: Double
        var stamp: GenerationTable.Stamp
        var tableSlot: Int32
        var diskSlot: Int32
        var tag: UInt64
    }
    private var index: [String: Int32] = [:]
    /// Recency order, and the plain fields of each entry.
    private var order = RecencyList<Recorded>()
    private var keys: [String] = []
    private var values: [ByteBuffer] = []
    private var metadata: [[String: String]] = []
    /// Bytes of the values held now.
    private(set) var bytes = 0

    var count: Int { order.count }

    init(capacity: Int, maxBytes: Int = .max, maxValueBytes: Int = .max) {
        self.capacity = capacity
        self.maxBytes = maxBytes
        self.maxValueBytes = maxValueBytes
        index.reserveCapacity(min(capacity, 1 << 16))
    }

    /// Why ``hit(_:now:table:dropped:)`` let go of an entry instead of serving it.
    enum Drop {
        case expired
        /// Another process (or manager) changed the key's entries since the copy was made.
        case changed
    }

    /// The slot of `key`, moved to the most recently used end, or `nil`. An entry expired at
    /// `now`, or no longer current in `table`, is removed instead and reported through `dropped`.
    @inline(__always)
    mutating func hit(_ key: String, now: Double, table: GenerationTable?, dropped: inout (entry: MemoryEntry, reason: Drop)?) -> Int32? {
        guard let slot = index[key], let recorded = order[slot] else { return nil }
        if recorded.expires != 0 && recorded.expires <= now {
            if let entry = remove(slot) { dropped = (entry, .expired) }
            return nil
        }
        if let table, !table.isCurrent(recorded.tableSlot, recorded.stamp) {
            if let entry = remove(slot) { dropped = (entry, .changed) }
            return nil
        }
        order.touch(slot)
        return slot
    }

    @inline(__always)
    func value(_ slot: Int32) -> ByteBuffer { values[Int(slot)] }

    /// The entry in `slot`; `nil` for a free slot.
    func entry(_ slot: Int32) -> MemoryEntry? {
        guard let recorded = order[slot] else { return nil }
        let i = Int(slot)
        return MemoryEntry(
            key: keys[i], value: values[i], tag: recorded.tag, metadata: metadata[i], created: recorded.created, expires: recorded.expires,
            diskSlot: recorded.diskSlot, tableSlot: recorded.tableSlot, stamp: recorded.stamp)
    }

    func slot(of key: String) -> Int32? { index[key] }

    /// Whether a value of `length` bytes may be held at all.
    func admits(_ length: Int) -> Bool {
        capacity > 0 && length <= maxValueBytes && length <= maxBytes
    }

    /// What ``store(_:)`` did.
    struct Stored {
        /// The entry's slot; `nil` when the value is not admitted (too large, or no memory tier).
        var slot: Int32?
        /// Entries evicted, least recently used first, to make room.
        var evicted: [MemoryEntry] = []
        /// The key's previous entry, removed because the new value is not admitted.
        var displaced: MemoryEntry?
    }

    /// Stores `entry` as the most recently used (replacing the key's entry if present), evicting
    /// least recently used entries until both the item and the byte bound hold.
    mutating func store(_ entry: MemoryEntry) -> Stored {
        let length = entry.value.readableBytes
        guard admits(length) else {
            return Stored(slot: nil, displaced: index[entry.key].flatMap { remove($0) })
        }
        let recorded = Recorded(expires: entry.expires, created: entry.created, stamp: entry.stamp, tableSlot: entry.tableSlot, diskSlot: entry.diskSlot, tag: entry.tag)
        if let slot = index[entry.key] {
            let i = Int(slot)
            bytes += length - values[i].readableBytes
            order[slot] = recorded
            values[i] = entry.value
            metadata[i] = entry.metadata
            order.touch(slot)
            // The replaced value may have been smaller: others make room (never this entry, at the head).
            return Stored(slot: slot, evicted: evictToFit(incoming: 0, newItem: false))
        }
        let evicted = evictToFit(incoming: length, newItem: true)
        let slot = order.insert(recorded)
        let i = Int(slot)
        if i == keys.count {  // a new slot; else a freed one is reused
            keys.append(entry.key)
            values.append(entry.value)
            metadata.append(entry.metadata)
        } else {
            keys[i] = entry.key
            values[i] = entry.value
            metadata[i] = entry.metadata
        }
        index[entry.key] = slot
        bytes += length
        return Stored(slot: slot, evicted: evicted)
    }

    /// Removes the entry in `slot`; the storage of its value is released.
    @discardableResult
    mutating func remove(_ slot: Int32) -> MemoryEntry? {
        guard let removed = entry(slot) else { return nil }
        let i = Int(slot)
        order.remove(slot)
        index.removeValue(forKey: removed.key)
        bytes -= removed.value.readableBytes
        keys[i] = ""
        values[i] = ByteBuffer()
        metadata[i] = [:]
        return removed
    }

    /// New bounds; returns the entries evicted (least recently used first) to fit them. A value
    /// over a lowered `maxValueBytes` leaves too: it would never have been admitted.
    mutating func resize(capacity: Int, maxBytes: Int, maxValueBytes: Int) -> [MemoryEntry] {
        self.capacity = capacity
        self.maxBytes = maxBytes
        self.maxValueBytes = maxValueBytes
        var evicted: [MemoryEntry] = []
        for slot in 0..<Int32(order.slotCount) where order[slot] != nil && values[Int(slot)].readableBytes > maxValueBytes {
            if let entry = remove(slot) { evicted.append(entry) }
        }
        while order.tail >= 0 && (count > capacity || bytes > maxBytes), let entry = remove(order.tail) {
            evicted.append(entry)
        }
        return evicted
    }

    mutating func removeAll() {
        self = MemoryTier(capacity: capacity, maxBytes: maxBytes, maxValueBytes: maxValueBytes)
    }

    /// Evicts from the least recently used end until `incoming` more bytes (and, with `newItem`,
    /// one more entry) fit.
    private mutating func evictToFit(incoming: Int, newItem: Bool) -> [MemoryEntry] {
        var evicted: [MemoryEntry] = []
        while order.tail >= 0 && ((newItem && count >= capacity) || bytes + incoming > maxBytes), let entry = remove(order.tail) {
            evicted.append(entry)
        }
        return evicted
    }
}

/// The memory tier: at most `capacity` entries and `maxBytes` bytes of values, in
/// least-recently-used order. A value over `maxValueBytes` is never held (it is served from disk).
///
/// Laid out for the hit path, which must cost little more than a dictionary lookup: the key
/// index maps to a slot, and each field lives in its own array, so a hit reads the expiry and the
/// generation it recorded, rewrites four links and retains one value, with no copy of the entry.
struct MemoryTier {
    let capacity: Int
    /// The most bytes of values held at once.
    let maxBytes: Int
    /// The largest value held; larger ones stay on disk only.
    let maxValueBytes: Int
    private var index: [String: Int32] = [:]
    private var keys: [String] = []
    private var values: [[UInt8]] = []
    private var metadata: [[String: String]] = []
    private var created: [Double] = []
    private var expires: [Double] = []
    private var tableSlots: [Int32] = []
    private var stamps: [GenerationTable.Stamp] = []
    /// Each entry's record in the disk index.
    private(set) var diskSlots: [Int32] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var free: [Int32] = []
    private var head: Int32 = -1
    /// The least recently used slot, or -1.
    private(set) var tail: Int32 = -1
    private(set) var count = 0
    /// Bytes of the values held now.
    private(set) var bytes = 0

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
        guard let slot = index[key] else { return nil }
        let i = Int(slot)
        let expiry = expires[i]
        if expiry != 0 && expiry <= now {
            if let entry = remove(slot) { dropped = (entry, .expired) }
            return nil
        }
        if let table, !table.isCurrent(tableSlots[i], stamps[i]) {
            if let entry = remove(slot) { dropped = (entry, .changed) }
            return nil
        }
        touch(slot)
        return slot
    }

    @inline(__always)
    func value(_ slot: Int32) -> [UInt8] { values[Int(slot)] }

    func entry(_ slot: Int32) -> MemoryEntry {
        let i = Int(slot)
        return MemoryEntry(
            key: keys[i], value: values[i], metadata: metadata[i], created: created[i], expires: expires[i],
            diskSlot: diskSlots[i], tableSlot: tableSlots[i], stamp: stamps[i])
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
        let length = entry.value.count
        guard admits(length) else {
            return Stored(slot: nil, displaced: index[entry.key].flatMap { remove($0) })
        }
        if let slot = index[entry.key] {
            bytes += length - values[Int(slot)].count
            write(entry, at: slot)
            touch(slot)
            // The replaced value may have been smaller: others make room (never this entry, at the head).
            return Stored(slot: slot, evicted: evictToFit(incoming: 0, newItem: false))
        }
        let evicted = evictToFit(incoming: length, newItem: true)
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            write(entry, at: slot)
        } else {
            slot = Int32(keys.count)
            keys.append(entry.key)
            values.append(entry.value)
            metadata.append(entry.metadata)
            created.append(entry.created)
            expires.append(entry.expires)
            diskSlots.append(entry.diskSlot)
            tableSlots.append(entry.tableSlot)
            stamps.append(entry.stamp)
            previous.append(-1)
            next.append(-1)
        }
        index[entry.key] = slot
        linkAtHead(slot)
        count += 1
        bytes += length
        return Stored(slot: slot, evicted: evicted)
    }

    /// Removes the entry in `slot`; the storage of its value is released.
    @discardableResult
    mutating func remove(_ slot: Int32) -> MemoryEntry? {
        let i = Int(slot)
        guard index[keys[i]] == slot else { return nil }
        let removed = entry(slot)
        index.removeValue(forKey: keys[i])
        unlink(slot)
        bytes -= values[i].count
        keys[i] = ""
        values[i] = []
        metadata[i] = [:]
        free.append(slot)
        count -= 1
        return removed
    }

    mutating func removeAll() {
        self = MemoryTier(capacity: capacity, maxBytes: maxBytes, maxValueBytes: maxValueBytes)
    }

    /// Evicts from the least recently used end until `incoming` more bytes (and, with `newItem`,
    /// one more entry) fit.
    private mutating func evictToFit(incoming: Int, newItem: Bool) -> [MemoryEntry] {
        var evicted: [MemoryEntry] = []
        while tail >= 0 && ((newItem && count >= capacity) || bytes + incoming > maxBytes), let entry = remove(tail) {
            evicted.append(entry)
        }
        return evicted
    }

    private mutating func write(_ entry: MemoryEntry, at slot: Int32) {
        let i = Int(slot)
        keys[i] = entry.key
        values[i] = entry.value
        metadata[i] = entry.metadata
        created[i] = entry.created
        expires[i] = entry.expires
        diskSlots[i] = entry.diskSlot
        tableSlots[i] = entry.tableSlot
        stamps[i] = entry.stamp
    }

    @inline(__always)
    private mutating func touch(_ slot: Int32) {
        guard slot != head else { return }
        unlink(slot)
        linkAtHead(slot)
    }

    @inline(__always)
    private mutating func unlink(_ slot: Int32) {
        let before = previous[Int(slot)]
        let after = next[Int(slot)]
        if before >= 0 { next[Int(before)] = after } else { head = after }
        if after >= 0 { previous[Int(after)] = before } else { tail = before }
    }

    @inline(__always)
    private mutating func linkAtHead(_ slot: Int32) {
        previous[Int(slot)] = -1
        next[Int(slot)] = head
        if head >= 0 { previous[Int(head)] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}

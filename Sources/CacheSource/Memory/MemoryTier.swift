/// The memory tier: at most `capacity` entries in least-recently-used order.
///
/// Laid out for the hit path, which must cost little more than a dictionary lookup: the key
/// index maps to a slot, and each field lives in its own array, so a hit reads one `Double`
/// (the expiry), rewrites four links and retains one value, with no copy of the entry.
struct MemoryTier {
    let capacity: Int
    private var index: [String: Int32] = [:]
    private var keys: [String] = []
    private var values: [[UInt8]] = []
    private var metadata: [[String: String]] = []
    private var created: [Double] = []
    private var expires: [Double] = []
    /// Each entry's record in the disk index.
    private(set) var diskSlots: [Int32] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var free: [Int32] = []
    private var head: Int32 = -1
    /// The least recently used slot, or -1.
    private(set) var tail: Int32 = -1
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        index.reserveCapacity(capacity)
    }

    /// The slot of `key`, moved to the most recently used end, or `nil`. An entry expired at
    /// `now` is removed instead, and reported through `expired`.
    @inline(__always)
    mutating func hit(_ key: String, now: Double, expired: inout MemoryEntry?) -> Int32? {
        guard let slot = index[key] else { return nil }
        let expiry = expires[Int(slot)]
        if expiry != 0 && expiry <= now {
            expired = remove(slot)
            return nil
        }
        touch(slot)
        return slot
    }

    @inline(__always)
    func value(_ slot: Int32) -> [UInt8] { values[Int(slot)] }

    func entry(_ slot: Int32) -> MemoryEntry {
        let i = Int(slot)
        return MemoryEntry(key: keys[i], value: values[i], metadata: metadata[i], created: created[i], expires: expires[i], diskSlot: diskSlots[i])
    }

    func slot(of key: String) -> Int32? { index[key] }

    /// Stores `entry` as the most recently used (replacing the key's entry if present) and
    /// returns its slot and the entry evicted to make room, if any. Requires `capacity > 0`.
    mutating func store(_ entry: MemoryEntry) -> (slot: Int32, evicted: MemoryEntry?) {
        if let slot = index[entry.key] {
            write(entry, at: slot)
            touch(slot)
            return (slot, nil)
        }
        var evicted: MemoryEntry?
        if count >= capacity, tail >= 0 { evicted = remove(tail) }
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
            previous.append(-1)
            next.append(-1)
        }
        index[entry.key] = slot
        linkAtHead(slot)
        count += 1
        return (slot, evicted)
    }

    /// Removes the entry in `slot`; the storage of its value is released.
    @discardableResult
    mutating func remove(_ slot: Int32) -> MemoryEntry? {
        let i = Int(slot)
        guard index[keys[i]] == slot else { return nil }
        let removed = entry(slot)
        index.removeValue(forKey: keys[i])
        unlink(slot)
        keys[i] = ""
        values[i] = []
        metadata[i] = [:]
        free.append(slot)
        count -= 1
        return removed
    }

    mutating func removeAll() {
        self = MemoryTier(capacity: capacity)
    }

    private mutating func write(_ entry: MemoryEntry, at slot: Int32) {
        let i = Int(slot)
        keys[i] = entry.key
        values[i] = entry.value
        metadata[i] = entry.metadata
        created[i] = entry.created
        expires[i] = entry.expires
        diskSlots[i] = entry.diskSlot
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

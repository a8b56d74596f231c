/// The disk index: a record of every entry file known, by digest, in least-recently-used order
/// for `max_disk_size`, with the bytes of all of them. It never touches the file system; the
/// ``CacheManager`` keeps it up to date under its lock.
struct DiskIndex {
    private var records = RecencyList<DiskRecord>()
    private var slots: [EntryDigest: Int32] = [:]
    /// Bytes of all entry files in the index.
    private(set) var bytes: Int64 = 0
    /// Bumped by every change to the index.
    private(set) var generation: UInt64 = 0
    /// The sweep running now or last; a new record counts as seen by it.
    var sweepEpoch: UInt32 = 0

    var count: Int { records.count }

    /// The least recently used slot, or -1.
    var tail: Int32 { records.tail }

    /// Every slot is below this: `0..<slotCount` with the subscript visits every record.
    var slotCount: Int { records.slotCount }

    /// The record in `slot`; `nil` for a free slot. Writes happen in place.
    subscript(slot: Int32) -> DiskRecord? {
        get { records[slot] }
        _modify { yield &records[slot] }
    }

    func slot(of digest: EntryDigest) -> Int32? { slots[digest] }

    func record(of digest: EntryDigest) -> DiskRecord? { slots[digest].flatMap { records[$0] } }

    /// Marks `slot` as the most recently used.
    mutating func touch(_ slot: Int32) {
        records.touch(slot)
    }

    /// Adds the record of an entry file, or updates it and marks it the most recently used;
    /// returns its slot and the record as it was before (`nil` for a new one). `verified` says the
    /// caller checked (or wrote) this version of the file; a record of the same version keeps
    /// what it knew.
    mutating func upsert(_ digest: EntryDigest, stamp: FileStamp, expires: Double, verified: Bool = false) -> (slot: Int32, old: DiskRecord?) {
        generation &+= 1
        if let slot = slots[digest], let old = records[slot] {
            bytes += stamp.length - old.stamp.length
            records[slot]?.verified = verified || (old.verified && old.stamp == stamp)
            records[slot]?.stamp = stamp
            records[slot]?.expires = expires
            records[slot]?.generation = generation
            records.touch(slot)
            return (slot, old)
        }
        bytes += stamp.length
        let slot = records.insert(DiskRecord(
            digest: digest, stamp: stamp, expires: expires, memorySlot: -1, generation: generation, seenEpoch: sweepEpoch, verified: verified))
        slots[digest] = slot
        return (slot, nil)
    }

    /// Removes the record of `digest`; `nil` when the index did not know it.
    mutating func remove(_ digest: EntryDigest) -> DiskRecord? {
        guard let slot = slots.removeValue(forKey: digest), let record = records.remove(slot) else { return nil }
        generation &+= 1
        bytes -= record.stamp.length
        return record
    }

    mutating func reserveCapacity(_ count: Int) {
        slots.reserveCapacity(count)
    }

    mutating func removeAll() {
        records.removeAll()
        slots = [:]
        bytes = 0
        generation &+= 1
    }
}

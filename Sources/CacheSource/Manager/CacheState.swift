import NIOCore

/// Everything a ``CacheManager`` keeps under its one lock: the memory tier (an LRU keyed by the
/// key), the disk index (every entry file known, keyed by digest, in its own LRU order for
/// `max_disk_size`), and the counters. Methods are short and never touch the file system; they
/// keep the links between the two tiers (each memory entry knows its disk record's slot and the
/// record its memory slot) in step.
struct CacheState {
    var memory: MemoryTier
    var disk = DiskIndex()
    var counters = CacheCounters()
    /// Counts accumulated before the last reset; lifetime = base + counters.
    var lifetimeBase = CacheCounters()
    var recent: RecentWindow

    /// The table a memory hit checks; `nil` only where a benchmark measures the hit without it.
    let hitTable: GenerationTable?

    init(memory: MemoryTier, window: Duration, hitTable: GenerationTable?) {
        self.memory = memory
        self.hitTable = hitTable
        recent = RecentWindow(window: window)
    }

    // MARK: lookups

    /// The memory slot of a live, current entry, counted as a memory hit; `nil` when the key is
    /// not in memory. An expired entry, or one whose key another process (or manager) changed
    /// since the copy was made, is dropped from memory and reported absent, so the caller falls
    /// through to the file, which decides (and counts) the outcome.
    ///
    /// A hit does not reorder the disk index: every entry in memory counts as more recent than
    /// every entry only on disk (see ``diskEvictionCandidate()``), which keeps this path short.
    @inline(__always)
    mutating func memoryHit(_ key: String, now: Double) -> Int32? {
        var dropped: (entry: MemoryEntry, reason: MemoryTier.Drop)?
        guard let slot = memory.hit(key, now: now, table: hitTable, dropped: &dropped) else {
            if let dropped { disk[dropped.entry.diskSlot]?.memorySlot = -1 }
            return nil
        }
        counters.memoryHits += 1
        recent.record(hit: true, now: now)
        return slot
    }

    /// The least recently used entry on disk. Entries still in memory were used more recently
    /// than any entry only on disk (memory evicts in LRU order), so they get a second chance:
    /// they move to the recent end of the disk order and the next one is considered.
    mutating func diskEvictionCandidate() -> (digest: EntryDigest, slot: Int32)? {
        var skipped = 0
        while disk.tail >= 0, skipped < memory.count, let record = disk[disk.tail], record.memorySlot >= 0 {
            disk.touch(disk.tail)
            skipped += 1
        }
        guard disk.tail >= 0, let record = disk[disk.tail] else { return nil }
        return (record.digest, disk.tail)
    }

    mutating func countMiss(now: Double) {
        counters.misses += 1
        recent.record(hit: false, now: now)
    }

    /// Records a verified read of the file: updates its record and, given the `value`, promotes
    /// it into memory, vouched for by `seen`, what the generation table read before the file was
    /// opened. A value streamed from the file (`nil`) stays on disk only.
    mutating func countDiskHit(
        key: String, digest: EntryDigest, stamp: FileStamp, header: EntryFile.Header, value: ByteBuffer?, seen: GenerationTable.Stamp, now: Double
    ) {
        let diskSlot = upsert(digest, stamp: stamp, expires: header.fixed.expires, keepMemory: false, verified: true)
        if let value {
            storeInMemory(MemoryEntry(
                key: key, value: value, tag: header.tag, metadata: header.metadata, created: header.fixed.created,
                expires: header.fixed.expires, diskSlot: diskSlot, tableSlot: GenerationTable.slot(of: digest), stamp: seen))
        }
        counters.diskHits += 1
        recent.record(hit: true, now: now)
    }

    /// Whether the index knows this version of the file as checked.
    func isVerified(_ digest: EntryDigest, stamp: FileStamp) -> Bool {
        guard let record = disk.record(of: digest) else { return false }
        return record.verified && record.stamp == stamp
    }

    // MARK: changes

    /// Records a completed write of `entry`'s file.
    /// Records a completed write of `entry`'s file. With `inMemory` false (a value streamed to
    /// disk and too large for memory) the entry's value is not held, and any older copy leaves memory.
    mutating func countWrite(_ entry: MemoryEntry, digest: EntryDigest, stamp: FileStamp, inMemory: Bool = true) {
        var entry = entry
        entry.diskSlot = upsert(digest, stamp: stamp, expires: entry.expires, keepMemory: true, verified: true)
        if inMemory {
            storeInMemory(entry)
        } else if let slot = memory.slot(of: entry.key) {
            dropMemory(slot)
        }
        counters.sets += 1
    }

    /// Adds or updates the record of an entry file and returns its slot. With `keepMemory` false,
    /// a memory copy of a different file version (another process replaced it) is dropped.
    @discardableResult
    mutating func upsert(_ digest: EntryDigest, stamp: FileStamp, expires: Double, keepMemory: Bool, verified: Bool = false) -> Int32 {
        let (slot, old) = disk.upsert(digest, stamp: stamp, expires: expires, verified: verified)
        if !keepMemory, let old, old.stamp != stamp, old.memorySlot >= 0 { dropMemory(old.memorySlot) }
        return slot
    }

    /// Removes an entry from both tiers; `true` when the disk index knew it.
    @discardableResult
    mutating func forget(_ digest: EntryDigest) -> Bool {
        guard let record = disk.remove(digest) else { return false }
        if record.memorySlot >= 0 { memory.remove(record.memorySlot) }
        return true
    }

    mutating func removeAll() {
        memory.removeAll()
        disk.removeAll()
    }

    mutating func resetCounters() {
        lifetimeBase = lifetimeBase + counters
        counters = CacheCounters()
        recent.reset()
    }

    /// New memory bounds: the least recently used entries beyond them leave memory (not disk).
    mutating func resizeMemory(capacity: Int, maxBytes: Int, maxValueBytes: Int) {
        for evicted in memory.resize(capacity: capacity, maxBytes: maxBytes, maxValueBytes: maxValueBytes) {
            disk[evicted.diskSlot]?.memorySlot = -1
            disk.touch(evicted.diskSlot)
            counters.evictions += 1
        }
    }

    private mutating func storeInMemory(_ entry: MemoryEntry) {
        let stored = memory.store(entry)
        for evicted in stored.evicted {
            // Leaving memory, it is still newer than every entry only on disk.
            disk[evicted.diskSlot]?.memorySlot = -1
            disk.touch(evicted.diskSlot)
            counters.evictions += 1
        }
        if let displaced = stored.displaced { disk[displaced.diskSlot]?.memorySlot = -1 }
        if let slot = stored.slot { disk[entry.diskSlot]?.memorySlot = slot }
    }

    private mutating func dropMemory(_ slot: Int32) {
        guard let entry = memory.remove(slot) else { return }
        disk[entry.diskSlot]?.memorySlot = -1
    }
}

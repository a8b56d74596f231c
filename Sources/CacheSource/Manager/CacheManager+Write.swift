#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore
import NIOCore

extension CacheManager {
    /// Stores `value` under `key` in both tiers: the file is written to a temporary name and
    /// renamed into place, then the entry goes into memory (evicting the least recently used
    /// entry from memory only, when memory is full).
    ///
    /// - Parameters:
    ///   - ttl: how long the entry lives; `nil` uses ``defaultTTL``. Must be positive.
    ///   - metadata: a small string map stored with the entry (64 KiB encoded at most).
    /// Once it returns, the entry stays readable until its TTL passes, it is deleted or cleared,
    /// or later writes push it out of `maxDiskBytes` in least-recently-used order: the limit
    /// this set enforces never takes the entry it just stored.
    ///
    /// - Throws: `StoreError` — `.invalidKey`, `.invalidArgument` (TTL, metadata), `.tooLarge`
    ///   (an entry whose file, value plus key and metadata, would be over `maxDiskBytes`: refused
    ///   before anything changes), or `.unavailable` when the file cannot be written (disk full,
    ///   directory unwritable); that failure is counted in `disk_errors` and nothing changes.
    public func set(_ key: String, _ value: [UInt8], ttl: Duration? = nil, metadata: [String: String] = [:]) throws(StoreError) {
        try set(key, ByteBuffer(bytes: value), ttl: ttl, metadata: metadata)
    }

    /// ``set(_:_:ttl:metadata:)`` of a buffer, which memory keeps as it is (no copy).
    public func set(_ key: String, _ value: ByteBuffer, ttl: Duration? = nil, metadata: [String: String] = [:]) throws(StoreError) {
        let plan = try WritePlan(self, key: key, ttl: ttl, metadata: metadata)
        try plan.admit(length: value.readableBytes)
        let sum = value.withUnsafeReadableBytes { Checksum64.hash($0) }
        let created = now()
        let expires = plan.expires(created: created)
        let header = EntryFile.header(key: key, metadata: metadata, created: created, expires: expires, valueLength: value.readableBytes, valueChecksum: sum)
        let entry = plan.entry(value: value, tag: sum, created: created, expires: expires)
        try install(entry, digest: plan.digest, inMemory: true) { () -> Result<FileStamp, DiskFailure> in
            value.withUnsafeReadableBytes { disk.write(plan.digest, header: header, value: $0) }
        }
    }

    /// A writer of one entry whose value arrives in pieces (a streamed upload): each
    /// ``EntryWriter/write(_:)`` goes to a temporary file at once, summed on the way, so memory
    /// holds no more than the piece; ``EntryWriter/commit()`` makes it the entry, with the
    /// guarantees of ``set(_:_:ttl:metadata:)``. Nothing is visible before the commit, and a writer
    /// cancelled, released or failing leaves nothing behind.
    ///
    /// The checks of a set (key, TTL, metadata) happen here; the size is checked as bytes arrive.
    ///
    /// ```swift
    /// let writer = try cache.makeWriter("audio/42.wav", metadata: ["content-type": "audio/wav"])
    /// for try await chunk in chunks { try writer.write(chunk) }
    /// try writer.commit()
    /// ```
    /// Throws what a write of `key` with a value of `length` bytes (when known) would be refused
    /// with, without writing anything: the key, `ttl` and metadata checks of every write, and
    /// the value's size against the cache's limits (4 GiB, `max_disk_size`).
    public func admit(_ key: String, length: Int?, ttl: Duration? = nil, metadata: [String: String] = [:]) throws(StoreError) {
        let plan = try WritePlan(self, key: key, ttl: ttl, metadata: metadata)
        if let length { try plan.admit(length: length) }
    }

    public func makeWriter(_ key: String, ttl: Duration? = nil, metadata: [String: String] = [:]) throws(StoreError) -> EntryWriter {
        let plan = try WritePlan(self, key: key, ttl: ttl, metadata: metadata)
        switch disk.createTemporary(plan.digest) {
        case .failure(let failure):
            state.withLock { $0.counters.diskErrors += 1 }
            throw StoreError(.unavailable, "cache: \(failure)")
        case .success(let temporary):
            return EntryWriter(manager: self, plan: plan, temporary: temporary)
        }
    }

    /// The last step of every write, under the key's stripe: `write` puts the file in place,
    /// then the generation table is bumped and the entry recorded (in memory too, with
    /// `inMemory`), and `maxDiskBytes` enforced, sparing this entry.
    func install(_ entry: MemoryEntry, digest: EntryDigest, inMemory: Bool, _ write: () -> Result<FileStamp, DiskFailure>) throws(StoreError) {
        var entry = entry
        let overLimit = try stripes.withLock(digest) { () throws(StoreError) -> Bool in
            // Read before the rename; if another process also bumps the slot before this one
            // does, the copy kept in memory fails its first check and the file decides.
            entry.stamp = generations.stamp(entry.tableSlot).afterOwnBump
            switch write() {
            case .failure(let failure):
                state.withLock { $0.counters.diskErrors += 1 }
                throw StoreError(.unavailable, "cache: \(failure)")
            case .success(let stamp):
                // After the rename, before returning: from now on no process serves the old value from memory.
                generations.bump(entry.tableSlot)
                return state.withLock { state in
                    state.countWrite(entry, digest: digest, stamp: stamp, inMemory: inMemory)
                    return maxDiskBytes > 0 && state.disk.bytes > maxDiskBytes
                }
            }
        }
        if overLimit { enforceDiskLimit(sparing: digest) }
    }

    /// Removes `key` from both tiers; `true` when its file existed.
    ///
    /// - Throws: `StoreError(.invalidKey)`, or `.unavailable` when the file cannot be removed
    ///   (counted in `disk_errors`; the entry stays).
    @discardableResult
    public func delete(_ key: String) throws(StoreError) -> Bool {
        try Self.validate(key)
        let digest = EntryDigest(key: key)
        return try stripes.withLock(digest) { () throws(StoreError) -> Bool in
            let code = disk.remove(digest)
            // After the unlink, before returning: from now on no process serves the entry from memory.
            generations.bump(GenerationTable.slot(of: digest))
            if code != 0 && code != ENOENT && code != ENOTDIR {
                state.withLock { $0.counters.diskErrors += 1 }
                throw StoreError(.unavailable, "cache: \(DiskFailure("remove", disk.displayPath(digest), code: code))")
            }
            return state.withLock { state in
                state.forget(digest)
                if code == 0 { state.counters.deletes += 1 }
                return code == 0
            }
        }
    }
}

/// What a write has checked before its bytes: the key, the lifetime, the metadata, and the
/// largest value the entry's file may hold.
struct WritePlan: Sendable {
    let key: String
    let digest: EntryDigest
    let metadata: [String: String]
    /// Seconds; 0 means the entry never expires.
    let lifetime: Double
    let headerLength: Int
    /// The largest value this entry may have: the cache's limit, and `maxDiskBytes` less the header.
    let maxValueLength: Int
    let maxDiskBytes: Int64

    init(_ manager: CacheManager, key: String, ttl: Duration?, metadata: [String: String]) throws(StoreError) {
        try CacheManager.validate(key)
        if let ttl {
            guard ttl > .zero else { throw StoreError(.invalidArgument, "ttl must be positive, got \(ttl)") }
            lifetime = ttl.seconds
        } else {
            lifetime = manager.defaultTTL.seconds
        }
        let metadataLength = EntryFile.metadataLength(metadata)
        guard metadataLength <= EntryFile.maxMetadataBytes else {
            throw StoreError(.invalidArgument, "metadata is \(metadataLength) bytes encoded; the limit is \(EntryFile.maxMetadataBytes)")
        }
        self.key = key
        self.digest = EntryDigest(key: key)
        self.metadata = metadata
        self.headerLength = EntryFile.headerLength(keyLength: key.utf8.count, metadataLength: metadataLength)
        self.maxDiskBytes = manager.maxDiskBytes
        let diskRoom = maxDiskBytes > 0 ? max(0, Int(clamping: maxDiskBytes) - headerLength) : Int.max
        self.maxValueLength = min(CacheManager.maxValueBytes, diskRoom)
    }

    /// Refuses a value of `length` bytes that this entry cannot hold.
    func admit(length: Int) throws(StoreError) {
        guard length <= CacheManager.maxValueBytes else {
            throw StoreError(.tooLarge, "value is \(length) bytes; the cache holds values of at most \(CacheManager.maxValueBytes) bytes (4 GiB)")
        }
        guard length <= maxValueLength else {
            let fileLength = Int64(headerLength) + Int64(length)
            throw StoreError(.tooLarge, "the entry's file would be \(fileLength) bytes (a \(length)-byte value plus its key and metadata); the cache's max_disk_size is \(maxDiskBytes) bytes")
        }
    }

    func expires(created: Double) -> Double { lifetime > 0 ? created + lifetime : 0 }

    func entry(value: ByteBuffer, tag: UInt64, created: Double, expires: Double) -> MemoryEntry {
        MemoryEntry(
            key: key, value: value, tag: tag, metadata: metadata, created: created, expires: expires,
            diskSlot: -1, tableSlot: GenerationTable.slot(of: digest), stamp: GenerationTable.Stamp(counter: 0, epoch: 0))
    }
}

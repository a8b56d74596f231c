#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

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
        try Self.validate(key)
        let lifetime: Double
        if let ttl {
            guard ttl > .zero else { throw StoreError(.invalidArgument, "ttl must be positive, got \(ttl)") }
            lifetime = ttl.seconds
        } else {
            lifetime = defaultTTL.seconds
        }
        let metadataLength = EntryFile.metadataLength(metadata)
        guard metadataLength <= EntryFile.maxMetadataBytes else {
            throw StoreError(.invalidArgument, "metadata is \(metadataLength) bytes encoded; the limit is \(EntryFile.maxMetadataBytes)")
        }
        guard value.count <= Self.maxValueBytes else {
            throw StoreError(.tooLarge, "value is \(value.count) bytes; the cache holds values of at most \(Self.maxValueBytes) bytes (4 GiB)")
        }
        let fileLength = Int64(EntryFile.headerLength(keyLength: key.utf8.count, metadataLength: metadataLength)) + Int64(value.count)
        guard maxDiskBytes == 0 || fileLength <= maxDiskBytes else {
            throw StoreError(.tooLarge, "the entry's file would be \(fileLength) bytes (a \(value.count)-byte value plus its key and metadata); the cache's max_disk_size is \(maxDiskBytes) bytes")
        }
        let created = now()
        let digest = EntryDigest(key: key)
        let tableSlot = GenerationTable.slot(of: digest)
        var entry = MemoryEntry(
            key: key, value: value, metadata: metadata, created: created, expires: lifetime > 0 ? created + lifetime : 0,
            diskSlot: -1, tableSlot: tableSlot, stamp: GenerationTable.Stamp(counter: 0, epoch: 0))
        let header = value.withUnsafeBytes { EntryFile.header(key: key, metadata: metadata, created: created, expires: entry.expires, value: $0) }
        let overLimit = try stripes.withLock(digest) { () throws(StoreError) -> Bool in
            // Read before the rename; if another process also bumps the slot before this one
            // does, the copy kept in memory fails its first check and the file decides.
            entry.stamp = generations.stamp(tableSlot).afterOwnBump
            switch value.withUnsafeBytes({ disk.write(digest, header: header, value: $0) }) {
            case .failure(let failure):
                state.withLock { $0.counters.diskErrors += 1 }
                throw StoreError(.unavailable, "cache: \(failure)")
            case .success(let stamp):
                // After the rename, before returning: from now on no process serves the old value from memory.
                generations.bump(tableSlot)
                return state.withLock { state in
                    state.countWrite(entry, digest: digest, stamp: stamp)
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

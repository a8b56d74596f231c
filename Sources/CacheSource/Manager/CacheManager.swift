#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore
import NIOCore
import Synchronization

/// A two-tier cache: a memory LRU of at most `maxMemoryItems` entries and `maxMemoryBytes` bytes
/// of values over a disk tier that holds every live entry, one file per entry, each with a TTL
/// and a small metadata map.
///
/// Safe to call from any thread or task. Calls are synchronous: a memory hit takes one short
/// lock; disk work (reads, write-through, deletes) happens outside that lock, on the caller's
/// thread (the ``CacheSource`` calls it from its own I/O threads, never Swift's cooperative ones). Several managers, in one process or several, may share a directory: a memory miss
/// always reads the file, a memory hit checks the directory's shared generation table (so a
/// replace or delete another manager has acknowledged is never served from memory), and
/// ``sweep()`` reconciles counts with what other processes wrote.
///
/// ```swift
/// let cache = try CacheManager(directory: "/var/cache/dubbing", maxMemoryItems: 500)
/// try cache.set("transcript:42", Array("hola".utf8), ttl: .seconds(600), metadata: ["lang": "es"])
/// let bytes = try cache.get("transcript:42")        // [UInt8]?, nil on a miss
/// print(cache.stats().hitRate)
/// ```
public final class CacheManager: Sendable {
    /// The longest key accepted, in bytes of UTF-8.
    public static let maxKeyBytes = 1024
    /// The largest value stored, even with no `max_disk_size`: a lookup reads the file whole, so
    /// a longer file (a planted sparse file of 200 GiB, say) is damaged, not an allocation to try.
    public static let maxValueBytes = 1 << 32

    /// The cache directory as given.
    public let directory: String
    /// The limits a running cache can change (``setLimits(_:)``: a reload of its config).
    public struct Limits: Sendable, Equatable {
        /// The most entries held in memory.
        public var maxMemoryItems: Int
        /// The most bytes of values held in memory.
        public var maxMemoryBytes: Int
        /// The largest value held in memory; larger values are served from disk only.
        public var maxMemoryValueBytes: Int
        /// The TTL of entries set without one; `.zero` means they never expire.
        public var defaultTTL: Duration
        /// The most bytes of entry files kept on disk; 0 means no limit.
        public var maxDiskBytes: Int64

        /// These limits.
        public init(maxMemoryItems: Int, maxMemoryBytes: Int, maxMemoryValueBytes: Int, defaultTTL: Duration, maxDiskBytes: Int64) {
            self.maxMemoryItems = maxMemoryItems
            self.maxMemoryBytes = maxMemoryBytes
            self.maxMemoryValueBytes = maxMemoryValueBytes
            self.defaultTTL = defaultTTL
            self.maxDiskBytes = maxDiskBytes
        }

        func check() throws(StoreError) {
            guard maxMemoryItems >= 0 else { throw StoreError(.invalidArgument, "max_memory_size must be 0 or more, got \(maxMemoryItems)") }
            guard maxMemoryBytes >= 0 else { throw StoreError(.invalidArgument, "max_memory_bytes must be 0 or more, got \(maxMemoryBytes)") }
            guard maxMemoryValueBytes >= 0 else { throw StoreError(.invalidArgument, "max_memory_value_size must be 0 or more, got \(maxMemoryValueBytes)") }
            guard maxDiskBytes >= 0 else { throw StoreError(.invalidArgument, "max_disk_size must be 0 or more, got \(maxDiskBytes)") }
            guard defaultTTL >= .zero else { throw StoreError(.invalidArgument, "default_ttl must be 0 or more, got \(defaultTTL)") }
        }
    }

    private let currentLimits: Mutex<Limits>
    /// The limits now.
    public var limits: Limits { currentLimits.withLock { $0 } }
    /// The most entries held in memory.
    public var maxMemoryItems: Int { limits.maxMemoryItems }
    /// The most bytes of values held in memory.
    public var maxMemoryBytes: Int { limits.maxMemoryBytes }
    /// The largest value held in memory; larger values are served from disk only.
    public var maxMemoryValueBytes: Int { limits.maxMemoryValueBytes }
    /// The TTL of entries set without one; `.zero` means they never expire.
    public var defaultTTL: Duration { limits.defaultTTL }
    /// The most bytes of entry files kept on disk; the sweep (and a set that crosses it) removes
    /// least recently used entries beyond it. 0 means no limit.
    public var maxDiskBytes: Int64 { limits.maxDiskBytes }
    /// Unix seconds when this manager started.
    public let startTime: Double

    /// Something about the cache directory the operator should hear of (the `cache` source logs
    /// it at start): its generation table was damaged or of another version and was recreated,
    /// or could not be used. `nil` when all is well.
    public var notice: String? { generations.notice }

    let disk: DiskTier
    let generations: GenerationTable
    let state: Mutex<CacheState>
    let stripes = KeyStripes()
    let now: @Sendable () -> Double

    /// Opens (creating it with mode 0700 if needed) the cache directory and scans it: entry files
    /// are indexed, leftover temporary files of dead writers removed, damaged and expired
    /// entries removed and counted.
    ///
    /// - Parameters:
    ///   - maxMemoryBytes: the most bytes of values held in memory (least recently used leave first).
    ///   - maxMemoryValueBytes: values larger than this are served from disk and never held in memory.
    ///   - window: the span of `recent_hit_rate`.
    ///   - now: the clock in Unix seconds; tests inject one to move time without sleeping.
    /// - Throws: ``CacheDirectoryError`` naming the path when the directory cannot be created,
    ///   opened or written; `StoreError(.invalidArgument)` for a negative size or TTL.
    public convenience init(
        directory: String, maxMemoryItems: Int = 200, maxMemoryBytes: Int = 256 << 20, maxMemoryValueBytes: Int = 8 << 20,
        defaultTTL: Duration = .seconds(3600), maxDiskBytes: Int64 = 1 << 30, window: Duration = .seconds(300),
        now: @escaping @Sendable () -> Double = CacheManager.systemTime
    ) throws {
        try self.init(
            directory: directory, maxMemoryItems: maxMemoryItems, maxMemoryBytes: maxMemoryBytes,
            maxMemoryValueBytes: maxMemoryValueBytes, defaultTTL: defaultTTL, maxDiskBytes: maxDiskBytes,
            window: window, now: now, checksGenerations: true)
    }

    /// With `checksGenerations` false, memory hits skip the generation table (sets, deletes and
    /// clears still bump it): only for the benchmark that prices the check.
    @_spi(Benchmarks)
    public init(
        directory: String, maxMemoryItems: Int = 200, maxMemoryBytes: Int = 256 << 20, maxMemoryValueBytes: Int = 8 << 20,
        defaultTTL: Duration = .seconds(3600), maxDiskBytes: Int64 = 1 << 30, window: Duration = .seconds(300),
        now: @escaping @Sendable () -> Double = CacheManager.systemTime, checksGenerations: Bool
    ) throws {
        let limits = Limits(
            maxMemoryItems: maxMemoryItems, maxMemoryBytes: maxMemoryBytes, maxMemoryValueBytes: maxMemoryValueBytes,
            defaultTTL: defaultTTL, maxDiskBytes: maxDiskBytes)
        try limits.check()
        self.directory = directory
        self.currentLimits = Mutex(limits)
        self.now = now
        self.startTime = now()
        let disk = try DiskTier(path: directory)
        let generations = GenerationTable(directory: disk.root, path: directory)
        self.disk = disk
        self.generations = generations
        let memory = MemoryTier(capacity: maxMemoryItems, maxBytes: maxMemoryBytes, maxValueBytes: maxMemoryValueBytes)
        self.state = Mutex(CacheState(memory: memory, window: window, hitTable: checksGenerations ? generations : nil))
        loadIndex()
    }

    /// Takes new limits while running: memory gives up its least recently used entries down to
    /// the new bounds at once (counted as evictions), and the disk tier down to `maxDiskBytes`
    /// (file work: call it off the cooperative pool). Entries keep their own TTLs; the new
    /// `defaultTTL` applies to later sets.
    public func setLimits(_ limits: Limits) throws(StoreError) {
        try limits.check()
        currentLimits.withLock { $0 = limits }
        state.withLock { $0.resizeMemory(capacity: limits.maxMemoryItems, maxBytes: limits.maxMemoryBytes, maxValueBytes: limits.maxMemoryValueBytes) }
        enforceDiskLimit()
    }

    /// The wall clock in Unix seconds, read from the coarse kernel clock (a few milliseconds of
    /// resolution, a few nanoseconds per read: it is read on every lookup).
    public static func systemTime() -> Double {
        var time = timespec()
        #if os(Linux)
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        #else
        clock_gettime(CLOCK_REALTIME, &time)
        #endif
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    // MARK: reads

    /// The value under `key`: from memory, else from its file (then kept in memory), else `nil`.
    /// An expired entry is removed from both tiers, counted in `expired_entries`, and is a miss.
    /// The bytes are a copy; ``getWithMetadata(_:)`` shares them (or streams a large value).
    ///
    /// - Throws: `StoreError(.invalidKey)` for an empty key or one over 1024 bytes;
    ///   `StoreError(.unavailable)` when the file exists but cannot be read.
    public func get(_ key: String) throws(StoreError) -> [UInt8]? {
        try value(key).map { Array($0.readableBytesView) }
    }

    /// The value under `key` as ``get(_:)`` finds it, in a buffer shared with the cache: a memory
    /// hit costs one short lock and no copy. A value over ``maxMemoryValueBytes`` is read whole
    /// from its file (``getWithMetadata(_:)`` streams it instead).
    public func value(_ key: String) throws(StoreError) -> ByteBuffer? {
        try Self.validate(key)
        let now = self.now()
        let cached = state.withLock { state -> ByteBuffer? in
            guard let slot = state.memoryHit(key, now: now) else { return nil }
            return state.memory.value(slot)
        }
        if let cached { return cached }
        guard let found = try diskValue(key, now: now) else { return nil }
        switch found.body {
        case .buffer(let buffer):
            return buffer
        case .stream(let stream):
            guard let file = stream as? EntryValueFile else { return nil }
            return try file.readNow(from: 0, maxLength: file.length)
        }
    }

    /// The value with its metadata, times, checksum (its `entityTag`) and the tier that answered
    /// (`memory` or `disk`). A value held in memory is shared, not copied; a value over
    /// ``maxMemoryValueBytes`` comes as an ``EntryValueFile``, read a chunk at a time (on the
    /// caller's thread: it is file work).
    public func getWithMetadata(_ key: String) throws(StoreError) -> StoredValue? {
        try Self.validate(key)
        let now = self.now()
        if let cached = memoryValue(key, now: now) { return cached }
        return try diskValue(key, now: now)
    }

    /// The memory tier's answer alone: one short lock and no file work (so the ``CacheSource``
    /// answers it on the caller's thread); `nil` when the key is not in memory or its copy is no
    /// longer current. The key must be valid.
    func memoryValue(_ key: String, now: Double) -> StoredValue? {
        state.withLock { state -> StoredValue? in
            guard let slot = state.memoryHit(key, now: now), let entry = state.memory.entry(slot) else { return nil }
            return StoredValue(
                body: .buffer(entry.value), metadata: entry.metadata, tier: "memory", createdAt: entry.created,
                expiresAt: entry.expires == 0 ? nil : entry.expires, checksum: entry.tag)
        }
    }

    /// The lookup after a memory miss (blocking file work): the file is opened and its header
    /// checked. A value up to ``maxMemoryValueBytes`` is read whole, verified and promoted into
    /// memory; a larger one is verified once per version of its file (a bounded buffer at a
    /// time) and handed out as the open file, so no lookup holds more than a chunk of it.
    func diskValue(_ key: String, now: Double) throws(StoreError) -> StoredValue? {
        let digest = EntryDigest(key: key)
        return try stripes.withLock(digest) { () throws(StoreError) -> StoredValue? in
            // Read before the file: a change another process makes after this read bumps the
            // table after its rename, so the copy promoted below fails its next check.
            let seen = generations.stamp(GenerationTable.slot(of: digest))
            switch disk.openEntry(digest) {
            case .missing:
                // Gone: never written, or removed by another process (forget any record of it).
                state.withLock { state in
                    state.forget(digest)
                    state.countMiss(now: now)
                }
                return nil
            case .failed(let failure):
                state.withLock { $0.countMiss(now: now) }
                throw StoreError(.unavailable, "cache: \(failure)")
            case .notAFile(let stamp):
                discardDamaged(digest, stamp: stamp, now: now)
                return nil
            case .file(let fd, let stamp):
                var handedOut = false
                defer { if !handedOut { close(fd) } }
                guard let found = try readEntry(fd, key: key, digest: digest, stamp: stamp, now: now) else { return nil }
                let value: ByteBuffer?
                switch found {
                case .whole(let header, let bytes):
                    value = bytes
                    state.withLock { $0.countDiskHit(key: key, digest: digest, stamp: stamp, header: header, value: bytes, seen: seen, now: now) }
                    return StoredValue(
                        body: .buffer(bytes), metadata: header.metadata, tier: "disk", createdAt: header.fixed.created,
                        expiresAt: header.fixed.expires == 0 ? nil : header.fixed.expires, checksum: header.tag)
                case .header(let header):
                    value = nil
                    state.withLock { $0.countDiskHit(key: key, digest: digest, stamp: stamp, header: header, value: value, seen: seen, now: now) }
                    handedOut = true
                    let file = EntryValueFile(fd: fd, offset: Int64(header.fixed.headerLength), length: header.fixed.valueLength, path: disk.displayPath(digest))
                    return StoredValue(
                        body: .stream(file), metadata: header.metadata, tier: "disk", createdAt: header.fixed.created,
                        expiresAt: header.fixed.expires == 0 ? nil : header.fixed.expires, checksum: header.tag)
                }
            }
        }
    }

    private enum Found {
        /// The whole value, read and verified.
        case whole(EntryFile.Header, ByteBuffer)
        /// A verified header over a verified value left in the file.
        case header(EntryFile.Header)
    }

    /// Reads and verifies the open file of `key`; `nil` (counted, and the file removed) when it
    /// is damaged or expired.
    private func readEntry(_ fd: Int32, key: String, digest: EntryDigest, stamp: FileStamp, now: Double) throws(StoreError) -> Found? {
        guard stamp.length <= Int64(readLimit) else {
            discardDamaged(digest, stamp: stamp, now: now)
            return nil
        }
        var file = ByteBuffer()
        let probe = Int(min(stamp.length, Int64(EntryFile.probeLength)))
        try readOrThrow(fd, at: 0, count: probe, into: &file, digest: digest, now: now)
        guard let fixed = file.withUnsafeReadableBytes({ EntryFile.fixed($0) }), Int64(fixed.fileLength) == stamp.length else {
            discardDamaged(digest, stamp: stamp, now: now)
            return nil
        }
        if fixed.expires != 0 && fixed.expires <= now {
            _ = disk.remove(digest, ifStill: stamp)
            state.withLock { state in
                state.forget(digest)
                state.counters.expired += 1
                state.countMiss(now: now)
            }
            return nil
        }
        if fixed.valueLength <= maxMemoryValueBytes {
            file.reserveCapacity(fixed.fileLength)
            try readOrThrow(fd, at: Int64(file.readableBytes), count: fixed.fileLength - file.readableBytes, into: &file, digest: digest, now: now)
            guard let decoded = file.withUnsafeReadableBytes({ try? EntryFile.decode($0, key: key) }) else {
                discardDamaged(digest, stamp: stamp, now: now)
                return nil
            }
            let value = file.getSlice(at: file.readerIndex + decoded.valueRange.lowerBound, length: decoded.valueRange.count) ?? ByteBuffer()
            return .whole(decoded.header, value)
        }
        if file.readableBytes < fixed.headerLength {
            try readOrThrow(fd, at: Int64(file.readableBytes), count: fixed.headerLength - file.readableBytes, into: &file, digest: digest, now: now)
        }
        guard let header = file.withUnsafeReadableBytes({ try? EntryFile.header($0, key: key) }) else {
            discardDamaged(digest, stamp: stamp, now: now)
            return nil
        }
        if !state.withLock({ $0.isVerified(digest, stamp: stamp) }) {
            guard try valueHolds(header, fd: fd, digest: digest, now: now) else {
                discardDamaged(digest, stamp: stamp, now: now)
                return nil
            }
        }
        return .header(header)
    }

    /// Whether the value behind `header` in `fd` matches its checksum, read a bounded chunk at a time.
    private func valueHolds(_ header: EntryFile.Header, fd: Int32, digest: EntryDigest, now: Double) throws(StoreError) -> Bool {
        var hasher = Checksum64.Hasher(seed: header.valueCheck.seed)
        var chunk = ByteBuffer()
        chunk.reserveCapacity(Self.verifyChunkBytes)
        var offset = Int64(header.fixed.headerLength)
        let end = Int64(header.fixed.fileLength)
        while offset < end {
            chunk.clear()
            let count = Int(min(Int64(Self.verifyChunkBytes), end - offset))
            try readOrThrow(fd, at: offset, count: count, into: &chunk, digest: digest, now: now)
            chunk.withUnsafeReadableBytes { hasher.update($0) }
            offset += Int64(count)
        }
        return header.valueCheck.holds(hasher.finish())
    }

    /// The buffer a large value is checked through.
    static let verifyChunkBytes = 1 << 20

    private func readOrThrow(_ fd: Int32, at offset: Int64, count: Int, into buffer: inout ByteBuffer, digest: EntryDigest, now: Double) throws(StoreError) {
        let code = DiskTier.read(fd, at: offset, count: count, into: &buffer)
        guard code == 0 else {
            state.withLock { $0.countMiss(now: now) }
            throw StoreError(.unavailable, "cache: \(DiskFailure("read", disk.displayPath(digest), code: code))")
        }
    }

    /// Removes a file that failed its checks (unless another process has replaced it since).
    private func discardDamaged(_ digest: EntryDigest, stamp: FileStamp, now: Double) {
        _ = disk.remove(digest, ifStill: stamp)
        state.withLock { state in
            state.forget(digest)
            state.counters.corrupt += 1
            state.countMiss(now: now)
        }
    }

    /// The largest file a lookup reads: the largest value plus the largest header.
    private var readLimit: Int {
        let value = maxDiskBytes > 0 ? min(Int(clamping: maxDiskBytes), Self.maxValueBytes) : Self.maxValueBytes
        return value + EntryFile.maxHeaderLength(maxKeyBytes: Self.maxKeyBytes)
    }

    static func validate(_ key: String) throws(StoreError) {
        let length = key.utf8.count
        guard length > 0 else { throw StoreError(.invalidKey, "cache key is empty") }
        guard length <= maxKeyBytes else {
            throw StoreError(.invalidKey, "cache key is \(length) bytes of UTF-8; the limit is \(maxKeyBytes)")
        }
    }
}

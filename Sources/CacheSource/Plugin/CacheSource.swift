import MonitorKitCore
import NIOCore

/// The cache as a monitord source: `sample()` gives the `cache.stats` fields, the actions are
/// `stats` and `clear`, `run()` sweeps every `sweep_interval`, and it adopts ``KeyValueStore`` so
/// the HTTP data plane serves the cache.
///
/// Every call that may touch a file (a lookup that misses memory, set, delete, clear, sweep)
/// runs on the cache's own I/O threads (``io``, and ``walks`` for the directory walks of clear
/// and sweep), so a slow or stalled disk never occupies the
/// few threads of Swift's cooperative pool that serve HTTP, the scheduler and alerts. A memory
/// hit is answered on the caller's thread: it takes one short lock and touches no file.
public struct CacheSource: Source, KeyValueStore, ReconfigurableSource {
    /// The component id from `monitord.yaml`.
    public let id: String
    /// The cache itself, for in-process use alongside the daemon.
    public let manager: CacheManager
    /// How often ``run()`` sweeps.
    public let sweepInterval: Duration
    private let emitter: Emitter?
    private let condition: SourceCondition?
    /// What a reload cannot change in place (`cache_dir`, `sweep_interval`, `window`), as the
    /// config that built this source gave it; `nil` when built by hand.
    var fixedPart: String?

    /// - Parameters:
    ///   - emitter: where `cache.cleared` goes; `nil` emits nothing.
    ///   - condition: where an unusable `cache_dir` is reported (the source is `failing` until a
    ///     write or sweep succeeds again); `nil` reports nothing.
    public init(
        id: String = "cache", manager: CacheManager, sweepInterval: Duration = .seconds(60), emitter: Emitter? = nil,
        condition: SourceCondition? = nil
    ) {
        self.id = id
        self.manager = manager
        self.sweepInterval = sweepInterval
        self.emitter = emitter
        self.condition = condition
    }

    /// `cache.stats`: the name of the scheduler's samples.
    public var sampleName: String { "cache.stats" }
    /// `stats` and `clear`.
    public var actions: [String] { ["stats", "clear"] }

    /// The statistics now: counters only, no file work.
    public func sample() async throws -> Fields {
        manager.stats().fields
    }

    /// `stats` returns the `cache.stats` fields. `clear` (argument `reset_stats`, a bool,
    /// default true) removes every entry, emits `cache.cleared`, and returns
    /// `{memory_items, disk_items, total_items}`.
    public func perform(action: String, arguments: Fields) async throws -> Fields {
        switch action {
        case "stats":
            // Counters only: no file work, so no hop.
            let stats = manager.stats()
            return try Self.flag(arguments["simple"], name: "simple", default: false) ? stats.simpleFields : stats.fields
        case "clear":
            let resetStats = try Self.flag(arguments["reset_stats"], name: "reset_stats", default: true)
            let manager = manager
            let result = try await Self.walk { manager.clear(resetStats: resetStats) }
            var event = result.fields
            event.append("reset_stats", .bool(resetStats))
            await emitter?.emit("cache.cleared", kind: .event, fields: event)
            return result.fields
        default:
            throw SourceActionError.unknownAction(source: id, action: action)
        }
    }

    /// Sweeps at once (the first sweep reads the entry headers the start-up scan skipped), then
    /// every `sweepInterval`, until cancelled. After each sweep the directory is checked: one
    /// that cannot take entries is reported, and made again by the next sweep if it can be.
    public func run() async throws {
        let manager = manager
        let condition = condition
        while true {
            _ = try await Self.walk {
                if condition?.fault != nil { manager.restoreDirectory() }
                let report = manager.sweep()
                if let problem = manager.directoryProblem() {
                    condition?.fail(problem.description)
                } else {
                    condition?.clear()
                }
                return report
            }
            try await Task.sleep(for: sweepInterval)
        }
    }

    /// Takes new limits (`max_memory_size`, `max_memory_bytes`, `max_memory_value_size`,
    /// `default_ttl`, `max_disk_size`) in place: the memory tier stays warm, shrinking to the new
    /// bounds if they are lower. Any other change needs a new source.
    public func reconfigure(to config: any SourceConfig) async -> Bool {
        guard let config = config as? CacheSourceConfig, let fixedPart, config.fixedPart == fixedPart else { return false }
        let manager = manager
        let limits = config.limits
        return (try? await Self.walk { (try? manager.setLimits(limits)) != nil }) ?? false
    }

    // MARK: KeyValueStore

    /// The entry under `key`: from memory on the caller's thread, else from its file on the I/O
    /// threads. A value held in memory is shared, not copied; a value over
    /// `max_memory_value_size` is a ``ValueStream`` whose reads run on the I/O threads, a bounded
    /// chunk at a time.
    public func get(_ key: String) async throws -> StoredValue? {
        try CacheManager.validate(key)
        let manager = manager
        let now = manager.now()
        if let hit = manager.memoryValue(key, now: now) { return hit }
        guard var found = try await Self.io.runIfActive({ try manager.diskValue(key, now: now) }) else { return nil }
        if case .stream(let stream) = found.body, let file = stream as? EntryValueFile {
            found.body = .stream(PooledValueFile(file: file))
        }
        return found
    }

    /// Stores the entry. A write that fails because `cache_dir` cannot take entries reports it
    /// (the source is `failing`); the next write first makes the directory again if it can, and
    /// the first write that succeeds withdraws the report.
    public func set(_ key: String, value: ByteBuffer, ttl: Duration?, metadata: [String: String]) async throws {
        let manager = manager
        try await writing { try manager.set(key, value, ttl: ttl, metadata: metadata) }
    }

    /// Stores the bytes `chunks` yields as they arrive: each is written to the entry's temporary
    /// file on the I/O threads, where it lies (no copy), in batches of 128 KiB: one batch is
    /// written while the next arrives, so memory holds about 256 KiB whatever the value's size,
    /// and the entry appears when the sequence ends. Returns the value's length.
    ///
    /// - Throws: `StoreError(.tooLarge)` past `limit` bytes or the cache's own limits; the error
    ///   of `chunks` (a client gone mid-upload); in every case the temporary file is removed and
    ///   nothing changes.
    public func set<Chunks: AsyncSequence>(
        _ key: String, chunks: Chunks, limit: Int, ttl: Duration?, metadata: [String: String]
    ) async throws -> Int where Chunks.Element == ByteBuffer {
        let manager = manager
        let writer = try await writing { try manager.makeWriter(key, ttl: ttl, metadata: metadata) }
        // One batch is written on the I/O threads while the next is gathered from `chunks`, so
        // the disk and the socket work at once; at most two batches are held.
        var inFlight: Task<Void, any Error>?
        do {
            var batch: [ByteBuffer] = []
            var batchBytes = 0
            var total = 0
            for try await chunk in chunks {
                total += chunk.readableBytes
                guard total <= limit else {
                    throw StoreError(.tooLarge, "the value is over the limit of \(limit) bytes")
                }
                // The chunks themselves, not a copy: each is written where it lies.
                batch.append(chunk)
                batchBytes += chunk.readableBytes
                guard batchBytes >= Self.writeBatchBytes else { continue }
                try await inFlight?.value
                let pieces = batch
                inFlight = Task { try await Self.io.runIfActive { for piece in pieces { try writer.write(piece) } } }
                batch.removeAll(keepingCapacity: true)
                batchBytes = 0
            }
            try await inFlight?.value
            inFlight = nil
            let rest = batch
            return try await writing {
                for piece in rest { try writer.write(piece) }
                return try writer.commit()
            }
        } catch {
            _ = try? await inFlight?.value
            writer.cancel()
            throw error
        }
    }

    /// Refuses a write before its value is read (no file work: the checks of ``CacheManager/admit(_:length:ttl:metadata:)``).
    public func admit(_ key: String, length: Int?, ttl: Duration?, metadata: [String: String]) throws {
        try manager.admit(key, length: length, ttl: ttl, metadata: metadata)
    }

    /// The most bytes a streamed write gathers before writing them out.
    static let writeBatchBytes = 128 << 10

    /// Runs a write on the I/O threads, keeping the source's health in step with `cache_dir`.
    private func writing<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let manager = manager
        let condition = condition
        return try await Self.io.runIfActive {
            if condition?.fault != nil { manager.restoreDirectory() }
            do {
                let result = try body()
                condition?.clear()
                return result
            } catch {
                if (error as? StoreError)?.code == .unavailable, let problem = manager.directoryProblem() {
                    condition?.fail(problem.description)
                }
                throw error
            }
        }
    }

    /// Removes `key` from both tiers, on the I/O threads; `true` when its file existed.
    @discardableResult
    public func delete(_ key: String) async throws -> Bool {
        let manager = manager
        return try await Self.io.runIfActive { try manager.delete(key) }
    }

    private static func flag(_ value: Value?, name: String, default fallback: Bool) throws -> Bool {
        switch value {
        case nil, .null: return fallback
        case .bool(let flag): return flag
        case .string("true"): return true
        case .string("false"): return false
        case let other?:
            var json = JSONWriter()
            json.write(other)
            throw SourceActionError.invalidArgument("\(name) must be true or false, got \(json.string)")
        }
    }
}

/// An ``EntryValueFile`` whose reads run on the cache's I/O threads.
struct PooledValueFile: ValueStream {
    let file: EntryValueFile
    var length: Int { file.length }

    func read(from offset: Int, maxLength: Int) async throws -> ByteBuffer {
        let file = file
        return try await CacheSource.io.runIfActive { try file.readNow(from: offset, maxLength: maxLength) }
    }

    func fileRegion() -> ValueFileRegion? { file.fileRegion() }
}

import MonitorKitCore

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

    /// The entry under `key`: from memory on the caller's thread, else from its file on the I/O threads.
    public func get(_ key: String) async throws -> StoredValue? {
        try CacheManager.validate(key)
        let manager = manager
        let now = manager.now()
        if let hit = manager.memoryValue(key, now: now) { return hit }
        return try await Self.io.runIfActive { try manager.diskValue(key, now: now) }
    }

    /// Stores the entry. A write that fails because `cache_dir` cannot take entries reports it
    /// (the source is `failing`); the next write first makes the directory again if it can, and
    /// the first write that succeeds withdraws the report.
    public func set(_ key: String, value: [UInt8], ttl: Duration?, metadata: [String: String]) async throws {
        let manager = manager
        let condition = condition
        try await Self.io.runIfActive {
            if condition?.fault != nil { manager.restoreDirectory() }
            do {
                try manager.set(key, value, ttl: ttl, metadata: metadata)
            } catch {
                if (error as? StoreError)?.code == .unavailable, let problem = manager.directoryProblem() {
                    condition?.fail(problem.description)
                }
                throw error
            }
            condition?.clear()
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

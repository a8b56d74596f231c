import MonitorKitCore

/// `type: cache`: the two-tier cache as a source (see docs/cache.md for every key).
///
/// ```yaml
/// sources:
///   cache:
///     type: cache
///     cache_dir: ${CACHE_DIR:-cache}
///     max_memory_size: 200
///     default_ttl: 3600        # seconds, or 1h
///     max_disk_size: 1GiB
///     sweep_interval: 60s
///     window: 5m
/// ```
/// `interval` (how often `cache.stats` is sampled) is a key every source shares; the loader reads it.
public struct CacheSourceConfig: SourceConfig, Equatable {
    public static let type = "cache"

    /// The directory of the disk tier, created 0700 when missing (relative to the working directory).
    public var cacheDir = "cache"
    /// Entries kept in memory (LRU); 0 keeps none.
    public var maxMemorySize = 200
    /// The TTL of entries set without one; 0 means they never expire.
    public var defaultTTL: Duration = .seconds(3600)
    /// Entry-file bytes kept on disk before least recently used entries are removed; 0 is no limit.
    public var maxDiskSize = ByteSize(bytes: 1 << 30)
    /// How often expired entries are purged, `max_disk_size` enforced and counts reconciled.
    public var sweepInterval: Duration = .seconds(60)
    /// The span of `recent_hit_rate`.
    public var window: Duration = .seconds(300)

    public init() {}

    enum CodingKeys: String, CodingKey {
        case cacheDir = "cache_dir"
        case maxMemorySize = "max_memory_size"
        case defaultTTL = "default_ttl"
        case maxDiskSize = "max_disk_size"
        case sweepInterval = "sweep_interval"
        case window
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cacheDir = try c.decodeIfPresent(String.self, forKey: .cacheDir) ?? "cache"
        guard !cacheDir.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .cacheDir, in: c, debugDescription: "cache_dir is empty; give a directory path such as cache or /var/cache/monitord")
        }
        maxMemorySize = try c.decodeIfPresent(Int.self, forKey: .maxMemorySize) ?? 200
        guard maxMemorySize >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .maxMemorySize, in: c, debugDescription: "max_memory_size must be 0 or more items, found \(maxMemorySize)")
        }
        defaultTTL = try c.decodeIfPresent(Duration.self, forKey: .defaultTTL) ?? .seconds(3600)
        guard defaultTTL >= .zero else {
            throw DecodingError.dataCorruptedError(forKey: .defaultTTL, in: c, debugDescription: "default_ttl cannot be negative; use 0 for entries that never expire")
        }
        maxDiskSize = try c.decodeIfPresent(ByteSize.self, forKey: .maxDiskSize) ?? ByteSize(bytes: 1 << 30)
        sweepInterval = try c.decodeIfPresent(Duration.self, forKey: .sweepInterval) ?? .seconds(60)
        guard sweepInterval > .zero else {
            throw DecodingError.dataCorruptedError(forKey: .sweepInterval, in: c, debugDescription: "sweep_interval must be positive, e.g. 60s")
        }
        window = try c.decodeIfPresent(Duration.self, forKey: .window) ?? .seconds(300)
        guard window >= .seconds(1) else {
            throw DecodingError.dataCorruptedError(forKey: .window, in: c, debugDescription: "window must be at least 1s, e.g. 5m")
        }
    }

    /// Opens the cache; a directory that cannot be created or written throws a
    /// ``CacheDirectoryError`` naming it.
    public func build(context: SourceBuildContext) async throws -> any Source {
        let manager = try CacheManager(
            directory: cacheDir, maxMemoryItems: maxMemorySize, defaultTTL: defaultTTL,
            maxDiskBytes: maxDiskSize.bytes, window: window)
        return CacheSource(id: context.id, manager: manager, sweepInterval: sweepInterval, emitter: context.emitter)
    }
}

/// Registers the `cache` source type.
public func registerCachePlugins(in registry: inout PluginRegistry) {
    registry.register(source: CacheSourceConfig.self)
}

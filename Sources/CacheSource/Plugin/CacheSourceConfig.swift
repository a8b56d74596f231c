import Logging
import MonitorKitCore

/// `type: cache`: the two-tier cache as a source (see docs/cache.md for every key).
///
/// ```yaml
/// sources:
///   cache:
///     type: cache
///     cache_dir: ${CACHE_DIR:-cache}
///     max_memory_size: 200
///     max_memory_bytes: 256MiB
///     max_memory_value_size: 8MiB
///     default_ttl: 3600        # seconds, or 1h
///     max_disk_size: 1GiB
///     sweep_interval: 60s
///     window: 5m
/// ```
/// `interval` (how often `cache.stats` is sampled) is a key every source shares; the loader reads it.
public struct CacheSourceConfig: SourceConfig, Equatable {
    /// The `type:` value that selects this source.
    public static let type = "cache"

    /// The directory of the disk tier, created 0700 when missing (relative to the working directory).
    public var cacheDir = "cache"
    /// Entries kept in memory (LRU); 0 keeps none.
    public var maxMemorySize = 200
    /// Bytes of values kept in memory (LRU, alongside `maxMemorySize`); 0 keeps none.
    public var maxMemoryBytes = ByteSize(bytes: 256 << 20)
    /// Values larger than this are served from disk and never kept in memory.
    public var maxMemoryValueSize = ByteSize(bytes: 8 << 20)
    /// The TTL of entries set without one; 0 means they never expire.
    public var defaultTTL: Duration = .seconds(3600)
    /// Entry-file bytes kept on disk before least recently used entries are removed; 0 is no limit.
    public var maxDiskSize = ByteSize(bytes: 1 << 30)
    /// How often expired entries are purged, `max_disk_size` enforced and counts reconciled.
    public var sweepInterval: Duration = .seconds(60)
    /// The span of `recent_hit_rate`.
    public var window: Duration = .seconds(300)

    /// The documented defaults: `cache_dir: cache`, 200 items in memory, a one-hour TTL.
    public init() {}

    // The documented range of each numeric key (docs/cache.md); outside it, `validate` fails.
    static let maxMemorySizeRange = 0...10_000_000
    /// 0 (no values in memory) to 1 TiB, for both byte bounds of the memory tier.
    static let memoryBytesRange = ByteSize(bytes: 0) ... ByteSize(bytes: 1 << 40)
    /// 0 (never expire) to ten years.
    static let defaultTTLRange = Duration.zero ... .seconds(10 * 365 * 86400)
    /// 0 (no limit) to 1 PiB.
    static let maxDiskSizeRange = ByteSize(bytes: 0) ... ByteSize(bytes: 1 << 50)
    static let sweepIntervalRange = Duration.milliseconds(10) ... .seconds(86400)
    static let windowRange = Duration.seconds(1) ... .seconds(7 * 86400)

    enum CodingKeys: String, CodingKey {
        case cacheDir = "cache_dir"
        case maxMemorySize = "max_memory_size"
        case maxMemoryBytes = "max_memory_bytes"
        case maxMemoryValueSize = "max_memory_value_size"
        case defaultTTL = "default_ttl"
        case maxDiskSize = "max_disk_size"
        case sweepInterval = "sweep_interval"
        case window
    }

    /// Decodes the source's keys from its config section, each checked against its range.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cacheDir = try c.decodeIfPresent(String.self, forKey: .cacheDir) ?? "cache"
        guard !cacheDir.isEmpty else {
            throw DecodingError.dataCorruptedError(forKey: .cacheDir, in: c, debugDescription: "cache_dir is empty; give a directory path such as cache or /var/cache/monitord")
        }
        maxMemorySize = try c.decodeIfPresent(Int.self, forKey: .maxMemorySize, in: Self.maxMemorySizeRange) ?? 200
        maxMemoryBytes = try c.decodeIfPresent(ByteSize.self, forKey: .maxMemoryBytes, in: Self.memoryBytesRange) ?? ByteSize(bytes: 256 << 20)
        maxMemoryValueSize = try c.decodeIfPresent(ByteSize.self, forKey: .maxMemoryValueSize, in: Self.memoryBytesRange) ?? ByteSize(bytes: 8 << 20)
        defaultTTL = try c.decodeIfPresent(Duration.self, forKey: .defaultTTL, in: Self.defaultTTLRange) ?? .seconds(3600)
        maxDiskSize = try c.decodeIfPresent(ByteSize.self, forKey: .maxDiskSize, in: Self.maxDiskSizeRange) ?? ByteSize(bytes: 1 << 30)
        sweepInterval = try c.decodeIfPresent(Duration.self, forKey: .sweepInterval, in: Self.sweepIntervalRange) ?? .seconds(60)
        window = try c.decodeIfPresent(Duration.self, forKey: .window, in: Self.windowRange) ?? .seconds(300)
    }

    /// The fields of `cache.stats`, from ``CacheStatistics/descriptors``.
    public func metrics(_ context: ConfigCheckContext) -> [MetricDescriptor] { CacheStatistics.descriptors }

    /// `cache_dir`: the `system` source watches its filesystem.
    public var dataDirectory: String? { cacheDir }

    /// Opens the cache; a directory that cannot be created or written throws a
    /// ``CacheDirectoryError`` naming it. A generation table that had to be recreated (or could
    /// not be used) is logged as a warning.
    public func build(context: SourceBuildContext) async throws -> any Source {
        let manager = try CacheManager(
            directory: cacheDir, maxMemoryItems: maxMemorySize, maxMemoryBytes: Int(maxMemoryBytes.bytes),
            maxMemoryValueBytes: Int(maxMemoryValueSize.bytes), defaultTTL: defaultTTL,
            maxDiskBytes: maxDiskSize.bytes, window: window)
        if let notice = manager.notice { context.logger.warning("\(notice)") }
        var source = CacheSource(
            id: context.id, manager: manager, sweepInterval: sweepInterval, emitter: context.emitter,
            condition: context.condition)
        source.fixedPart = fixedPart
        return source
    }

    /// What a running cache cannot change in place.
    var fixedPart: String { "\(cacheDir)\u{0}\(sweepInterval)\u{0}\(window)" }

    /// The limits a running cache takes in place on reload.
    var limits: CacheManager.Limits {
        CacheManager.Limits(
            maxMemoryItems: maxMemorySize, maxMemoryBytes: Int(maxMemoryBytes.bytes), maxMemoryValueBytes: Int(maxMemoryValueSize.bytes),
            defaultTTL: defaultTTL, maxDiskBytes: maxDiskSize.bytes)
    }
}

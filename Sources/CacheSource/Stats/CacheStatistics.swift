import MonitorKitCore

/// A snapshot of a cache's statistics, as `cache.stats` and `/api/cache/stats` give them. Counts
/// are since start or the last ``CacheManager/resetStats()``; the `lifetime*` counts are never reset.
public struct CacheStatistics: Sendable, Equatable {
    /// Entries in the memory tier.
    public var memoryItems: Int
    /// Entry files on disk, as the index knows them.
    public var diskItems: Int
    /// Lookups answered from memory.
    public var memoryHits: Int
    /// Lookups answered from an entry file.
    public var diskHits: Int
    /// Lookups that found nothing live.
    public var misses: Int
    /// Entries found expired on a lookup or removed expired by the sweep.
    public var expiredEntries: Int
    /// Memory LRU evictions (the entry stays on disk).
    public var evictions: Int
    /// Entries removed from disk to keep under `max_disk_size`.
    public var diskEvictions: Int
    /// Entries stored.
    public var sets: Int
    /// Entries deleted that existed.
    public var deletes: Int
    /// Damaged files rejected (and removed).
    public var corruptEntries: Int
    /// Disk writes that failed.
    public var diskErrors: Int
    /// Bytes of the values held in memory now.
    public var memoryBytes: Int
    /// Hit fraction over the recent window; 0.0 when the window saw no requests.
    public var recentHitRate: Double
    /// Bytes of entry files on disk.
    public var sizeBytes: Int64
    /// Unix seconds when the manager started; kept across stats resets.
    public var startTime: Double
    /// Unix seconds when the snapshot was taken.
    public var timestamp: Double
    /// The most entries held in memory (`max_memory_size`).
    public var maxMemorySize: Int
    /// The default TTL in whole seconds (0: entries never expire by default).
    public var defaultTTL: Int
    /// The cache directory, as configured.
    public var cacheDirectory: String
    /// The configured `max_disk_size` in bytes.
    public var maxDiskBytes: Int64 = 0
    /// Counts that ``CacheManager/resetStats()`` and `clear` never reset.
    public var lifetimeMemoryHits, lifetimeDiskHits, lifetimeMisses, lifetimeSets, lifetimeDeletes: Int
    /// More lifetime counts, never reset.
    public var lifetimeExpiredEntries, lifetimeEvictions, lifetimeDiskEvictions, lifetimeCorruptEntries, lifetimeDiskErrors: Int

    /// Memory hits plus disk hits.
    public var hits: Int { memoryHits + diskHits }
    /// Hits plus misses.
    public var totalRequests: Int { hits + misses }
    /// hits / total requests as a fraction; exactly 0.0 when there were no requests.
    public var hitRate: Double { totalRequests == 0 ? 0.0 : Double(hits) / Double(totalRequests) }
    /// Entry-file bytes in MiB; 0.0 when empty.
    public var cacheSizeMB: Double { Double(sizeBytes) / 1_048_576 }
    /// Minutes since the manager started.
    public var uptimeMinutes: Double { max(0, timestamp - startTime) / 60 }
    /// Entry-file bytes over `max_disk_size` (0..1, briefly above 1 between sweeps); 0 without a limit.
    public var diskUsageRatio: Double { maxDiskBytes > 0 ? Double(sizeBytes) / Double(maxDiskBytes) : 0 }

    /// The original dashboard's short answer (`GET /api/cache/stats?simple=true`): six figures,
    /// the hit rate in percent with one decimal.
    public var simpleFields: Fields {
        [
            "memory_items": .int(memoryItems), "disk_items": .int(diskItems), "hit_rate": .double((hitRate * 1000).rounded() / 10),
            "expired_entries": .int(expiredEntries), "uptime_minutes": .double(uptimeMinutes), "cache_size_mb": .double(cacheSizeMB),
        ]
    }

    /// The `cache.stats` fields in the order the API has always given them (tiers, hits and misses,
    /// rates, size, uptime, writes, errors, configuration), then the lifetime counts and `size_bytes`.
    public var fields: Fields {
        var f = Fields()
        f.append("memory_items", .int(memoryItems))
        f.append("disk_items", .int(diskItems))
        f.append("memory_hits", .int(memoryHits))
        f.append("disk_hits", .int(diskHits))
        f.append("misses", .int(misses))
        f.append("hits", .int(hits))
        f.append("total_requests", .int(totalRequests))
        f.append("hit_rate", .double(hitRate))
        f.append("recent_hit_rate", .double(recentHitRate))
        f.append("expired_entries", .int(expiredEntries))
        f.append("evictions", .int(evictions))
        f.append("disk_evictions", .int(diskEvictions))
        f.append("cache_size_mb", .double(cacheSizeMB))
        f.append("uptime_minutes", .double(uptimeMinutes))
        f.append("start_time", .double(startTime))
        f.append("sets", .int(sets))
        f.append("deletes", .int(deletes))
        f.append("corrupt_entries", .int(corruptEntries))
        f.append("disk_errors", .int(diskErrors))
        f.append("memory_bytes", .int(memoryBytes))
        f.append("max_memory_size", .int(maxMemorySize))
        f.append("default_ttl", .int(defaultTTL))
        f.append("cache_dir", .string(cacheDirectory))
        f.append("timestamp", .double(timestamp))
        f.append("lifetime_memory_hits", .int(lifetimeMemoryHits))
        f.append("lifetime_disk_hits", .int(lifetimeDiskHits))
        f.append("lifetime_misses", .int(lifetimeMisses))
        f.append("lifetime_sets", .int(lifetimeSets))
        f.append("lifetime_deletes", .int(lifetimeDeletes))
        f.append("lifetime_expired_entries", .int(lifetimeExpiredEntries))
        f.append("lifetime_evictions", .int(lifetimeEvictions))
        f.append("lifetime_disk_evictions", .int(lifetimeDiskEvictions))
        f.append("lifetime_corrupt_entries", .int(lifetimeCorruptEntries))
        f.append("lifetime_disk_errors", .int(lifetimeDiskErrors))
        f.append("lifetime_total_requests", .int(lifetimeMemoryHits + lifetimeDiskHits + lifetimeMisses))
        f.append("size_bytes", .int(Int(sizeBytes)))
        f.append("disk_usage_ratio", .double(diskUsageRatio))
        f.append("max_disk_size", .int(Int(maxDiskBytes)))
        return f
    }
}

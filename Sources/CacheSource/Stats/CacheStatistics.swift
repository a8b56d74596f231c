import MonitorKitCore

/// A snapshot of a cache's statistics (DESIGN.md section 4). Counts are since start or the last
/// ``CacheManager/resetStats()``; the `lifetime*` counts are never reset.
public struct CacheStatistics: Sendable, Equatable {
    public var memoryItems: Int
    public var diskItems: Int
    public var memoryHits: Int
    public var diskHits: Int
    public var misses: Int
    /// Entries found expired on a lookup or removed expired by the sweep.
    public var expiredEntries: Int
    /// Memory LRU evictions (the entry stays on disk).
    public var evictions: Int
    /// Entries removed from disk to keep under `max_disk_size`.
    public var diskEvictions: Int
    public var sets: Int
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
    public var maxMemorySize: Int
    /// The default TTL in whole seconds (0: entries never expire by default).
    public var defaultTTL: Int
    public var cacheDirectory: String
    /// Counts that ``CacheManager/resetStats()`` and `clear` never reset.
    public var lifetimeMemoryHits, lifetimeDiskHits, lifetimeMisses, lifetimeSets, lifetimeDeletes: Int
    public var lifetimeExpiredEntries, lifetimeEvictions, lifetimeDiskEvictions, lifetimeCorruptEntries, lifetimeDiskErrors: Int

    public var hits: Int { memoryHits + diskHits }
    public var totalRequests: Int { hits + misses }
    /// hits / total requests as a fraction; exactly 0.0 when there were no requests.
    public var hitRate: Double { totalRequests == 0 ? 0.0 : Double(hits) / Double(totalRequests) }
    /// Entry-file bytes in MiB; 0.0 when empty.
    public var cacheSizeMB: Double { Double(sizeBytes) / 1_048_576 }
    public var uptimeMinutes: Double { max(0, timestamp - startTime) / 60 }

    /// The original dashboard's short answer (`GET /api/cache/stats?simple=true`): six figures,
    /// the hit rate in percent with one decimal.
    public var simpleFields: Fields {
        [
            "memory_items": .int(memoryItems), "disk_items": .int(diskItems), "hit_rate": .double((hitRate * 1000).rounded() / 10),
            "expired_entries": .int(expiredEntries), "uptime_minutes": .double(uptimeMinutes), "cache_size_mb": .double(cacheSizeMB),
        ]
    }

    /// The `cache.stats` fields in the contract's order: the table of DESIGN.md section 4, then the
    /// lifetime counts and `size_bytes`.
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
        return f
    }
}

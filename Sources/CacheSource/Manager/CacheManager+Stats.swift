extension CacheManager {
    /// The statistics now, in O(1): counters only, never a directory walk.
    public func stats() -> CacheStatistics {
        let now = self.now()
        var stats = state.withLock { state in
            let c = state.counters
            let l = state.lifetimeBase + c
            return CacheStatistics(
                memoryItems: state.memory.count, diskItems: state.disk.count,
                memoryHits: c.memoryHits, diskHits: c.diskHits, misses: c.misses,
                expiredEntries: c.expired, evictions: c.evictions, diskEvictions: c.diskEvictions,
                sets: c.sets, deletes: c.deletes, corruptEntries: c.corrupt, diskErrors: c.diskErrors,
                memoryBytes: state.memory.bytes,
                recentHitRate: state.recent.rate(now: now), sizeBytes: state.disk.bytes,
                startTime: startTime, timestamp: now, maxMemorySize: maxMemoryItems,
                defaultTTL: Int(defaultTTL.seconds), cacheDirectory: directory,
                lifetimeMemoryHits: l.memoryHits, lifetimeDiskHits: l.diskHits, lifetimeMisses: l.misses,
                lifetimeSets: l.sets, lifetimeDeletes: l.deletes, lifetimeExpiredEntries: l.expired,
                lifetimeEvictions: l.evictions, lifetimeDiskEvictions: l.diskEvictions,
                lifetimeCorruptEntries: l.corrupt, lifetimeDiskErrors: l.diskErrors)
        }
        stats.maxDiskBytes = maxDiskBytes
        return stats
    }

    /// Resets hits, misses, sets, deletes and the other event counts to 0; uptime, start time
    /// and the lifetime counts are kept.
    public func resetStats() {
        state.withLock { $0.resetCounters() }
    }
}

import MonitorKitCore

/// Maps a cache's stats answer (DESIGN.md section 4 plus the `lifetime_*` fields) to readings.
enum CacheReadings {
    typealias Reading = MetricsExporter.Reading

    static func readings(source: String, stats: Fields) -> [Reading] {
        /// The never-reset figure when the cache reports one, else the resettable one.
        func lifetime(_ name: String) -> Double? {
            (stats["lifetime_" + name] ?? stats[name])?.doubleValue
        }
        var out: [Reading] = []
        func add(_ family: MetricFamily, _ value: Double?, _ extra: [(String, String)] = []) {
            guard let value else { return }
            let labels = [("source", source)] + extra
            out.append(Reading(family: family, labels: labels, value: value, identity: source + extra.map { "|" + $0.1 }.joined()))
        }
        add(MetricCatalog.cacheLookups, lifetime("memory_hits"), [("tier", "memory"), ("result", "hit")])
        add(MetricCatalog.cacheLookups, lifetime("disk_hits"), [("tier", "disk"), ("result", "hit")])
        add(MetricCatalog.cacheLookups, lifetime("misses"), [("tier", "none"), ("result", "miss")])
        add(MetricCatalog.cacheItems, stats["memory_items"]?.doubleValue, [("tier", "memory")])
        add(MetricCatalog.cacheItems, stats["disk_items"]?.doubleValue, [("tier", "disk")])
        add(MetricCatalog.cacheSize, stats["size_bytes"]?.doubleValue ?? stats["cache_size_mb"]?.doubleValue.map { $0 * 1_048_576 })
        add(MetricCatalog.cacheMemoryBytes, stats["memory_bytes"]?.doubleValue)
        add(MetricCatalog.cacheEvictions, lifetime("evictions"), [("tier", "memory")])
        add(MetricCatalog.cacheEvictions, lifetime("disk_evictions"), [("tier", "disk")])
        add(MetricCatalog.cacheExpired, lifetime("expired_entries"))
        add(MetricCatalog.cacheSets, lifetime("sets"))
        add(MetricCatalog.cacheDeletes, lifetime("deletes"))
        add(MetricCatalog.cacheCorrupt, lifetime("corrupt_entries"))
        add(MetricCatalog.cacheDiskErrors, lifetime("disk_errors"))
        add(MetricCatalog.cacheHitRatio, stats["hit_rate"]?.doubleValue)
        add(MetricCatalog.cacheRecentHitRatio, stats["recent_hit_rate"]?.doubleValue)
        add(MetricCatalog.cacheMaxMemoryItems, stats["max_memory_size"]?.doubleValue)
        add(MetricCatalog.cacheDefaultTTL, stats["default_ttl"]?.doubleValue)
        return out
    }
}

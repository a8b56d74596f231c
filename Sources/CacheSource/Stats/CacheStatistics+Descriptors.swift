import MonitorKitCore

extension CacheStatistics {
    /// What every field of ``fields`` is: the one place the sinks learn the cache's figures
    /// from (Prometheus families, cards, charts, the checks on alert rules). A new statistic is
    /// a field in ``fields`` and a line here.
    public static let descriptors: [MetricDescriptor] = {
        let lookups = "Cache lookups by the tier that answered (memory, disk; none for a miss) and result (hit, miss)."
        let items = "Entries held in each cache tier now."
        let evictions = "Entries evicted: memory LRU evictions (tier=memory) and max_disk_size evictions (tier=disk)."
        func lookup(_ tier: String, _ result: String, lifetime: String) -> MetricExport {
            MetricExport(family: "cache_lookups", help: lookups, labels: [MetricLabel("tier", tier), MetricLabel("result", result)], reading: lifetime)
        }
        let itemsChart = { (series: String) in MetricChart(group: "items", title: "Items over time", series: series) }
        let hitChart = { (series: String) in MetricChart(group: "hit_rate", title: "Hit rate over time", series: series) }
        let hitBands = MetricBands(good: 0.8, fair: 0.7, names: ["Excellent", "Good", "Low"], basis: "total_requests")
        return [
            MetricDescriptor(
                "memory_items", .gauge, .items, help: "Entries in the memory tier now.",
                export: MetricExport(family: "cache_items", help: items, labels: [MetricLabel("tier", "memory")]),
                display: MetricDisplay("Memory items", .count, card: 1, detail: "of {max_memory_size} max, {memory_bytes}", chart: itemsChart("Memory"))),
            MetricDescriptor(
                "disk_items", .gauge, .items, help: "Entries on disk now (write-through: every live entry).",
                export: MetricExport(family: "cache_items", help: items, labels: [MetricLabel("tier", "disk")]),
                display: MetricDisplay("Disk items", .count, card: 2, detail: "{evictions} evictions", chart: itemsChart("Disk"))),
            MetricDescriptor(
                "memory_hits", .counter, .items, help: "Lookups the memory tier answered.",
                export: lookup("memory", "hit", lifetime: "lifetime_memory_hits"), display: MetricDisplay("Memory hits", .count)),
            MetricDescriptor(
                "disk_hits", .counter, .items, help: "Lookups the disk tier answered.",
                export: lookup("disk", "hit", lifetime: "lifetime_disk_hits"), display: MetricDisplay("Disk hits", .count)),
            MetricDescriptor(
                "misses", .counter, .items, help: "Lookups that found no live entry.",
                export: lookup("none", "miss", lifetime: "lifetime_misses"), display: MetricDisplay("Misses", .count)),
            MetricDescriptor("hits", .counter, .items, help: "memory_hits + disk_hits.", display: MetricDisplay("Hits", .count)),
            MetricDescriptor(
                "total_requests", .counter, .items, help: "hits + misses: lookups since start or the last stats reset.",
                export: MetricExport(family: "cache_requests", help: "Cache lookups, hits and misses.", reading: "lifetime_total_requests"),
                display: MetricDisplay("Total requests", .count, card: 6, detail: "{misses} misses")),
            MetricDescriptor(
                "hit_rate", .gauge, .ratio, help: "Hits over lookups since start or the last stats reset (0..1; 0 with no lookups).",
                export: MetricExport(family: "cache_hit", help: "Hits over lookups since start or the last stats reset (0..1)."),
                display: MetricDisplay("Hit rate", .percent, card: 3, detail: "{hits} hits", chart: hitChart("Overall"), bands: hitBands)),
            MetricDescriptor(
                "recent_hit_rate", .gauge, .ratio, help: "Hits over lookups in the recent window (0..1).",
                export: MetricExport(family: "cache_recent_hit", help: "Hits over lookups in the recent window (0..1)."),
                display: MetricDisplay("Recent hit rate", .percent, chart: hitChart("Recent"), bands: hitBands)),
            MetricDescriptor(
                "expired_entries", .counter, .items, help: "Entries found or swept expired.",
                export: MetricExport(family: "cache_expired", help: "Entries found or swept expired.", reading: "lifetime_expired_entries"),
                display: MetricDisplay("Expired entries", .count, card: 5, detail: "TTL {default_ttl}")),
            MetricDescriptor(
                "evictions", .counter, .items, help: "Memory LRU evictions (the entry stays on disk).",
                export: MetricExport(family: "cache_evictions", help: evictions, labels: [MetricLabel("tier", "memory")], reading: "lifetime_evictions"),
                display: MetricDisplay("Evictions", .count)),
            MetricDescriptor(
                "disk_evictions", .counter, .items, help: "Entries removed from disk to keep under max_disk_size.",
                export: MetricExport(family: "cache_evictions", help: evictions, labels: [MetricLabel("tier", "disk")], reading: "lifetime_disk_evictions"),
                display: MetricDisplay("Disk evictions", .count)),
            MetricDescriptor(
                "cache_size_mb", .gauge, .bytes, scale: 1_048_576, help: "Bytes of entry files on disk, in MiB.",
                export: MetricExport(family: "cache_size", help: "Bytes of entry files in the disk tier."),
                display: MetricDisplay("Cache size", .bytes, card: 4, detail: "{sets} sets", chart: MetricChart(group: "size", title: "Cache size over time", series: "Size"))),
            MetricDescriptor(
                "uptime_minutes", .gauge, .seconds, scale: 60, help: "Minutes since the cache started.",
                display: MetricDisplay("Uptime", .duration, card: 7, detail: "since {start_time}")),
            MetricDescriptor("start_time", .info, .seconds, help: "When the cache started (Unix seconds); a stats reset keeps it."),
            MetricDescriptor(
                "sets", .counter, .items, help: "Writes since start or the last stats reset.",
                export: MetricExport(family: "cache_sets", help: "Cache writes.", reading: "lifetime_sets"), display: MetricDisplay("Sets", .count)),
            MetricDescriptor(
                "deletes", .counter, .items, help: "Deletes since start or the last stats reset.",
                export: MetricExport(family: "cache_deletes", help: "Cache deletes.", reading: "lifetime_deletes"), display: MetricDisplay("Deletes", .count)),
            MetricDescriptor(
                "corrupt_entries", .counter, .items, help: "Damaged entry files rejected and removed.",
                export: MetricExport(family: "cache_corrupt_entries", help: "Damaged entry files rejected and removed.", reading: "lifetime_corrupt_entries"),
                display: MetricDisplay("Corrupt entries", .count, bands: .zeroIsGood)),
            MetricDescriptor(
                "disk_errors", .counter, .items, help: "Disk writes that failed.",
                export: MetricExport(family: "cache_disk_errors", help: "Disk writes that failed.", reading: "lifetime_disk_errors"),
                display: MetricDisplay("Disk errors", .count, bands: .zeroIsGood)),
            MetricDescriptor(
                "memory_bytes", .gauge, .bytes, help: "Bytes of values held in the memory tier (bounded by max_memory_bytes).",
                export: MetricExport(family: "cache_memory", help: "Bytes of values held in the memory tier (bounded by max_memory_bytes)."),
                display: MetricDisplay("Memory used", .bytes)),
            MetricDescriptor(
                "disk_usage_ratio", .gauge, .ratio, help: "Entry-file bytes over max_disk_size (0..1): near 1, writes start evicting the least recently used.",
                export: MetricExport(family: "cache_disk_usage", help: "Entry-file bytes over max_disk_size (0..1)."),
                display: MetricDisplay(
                    "Disk budget used", .percent, detail: "of {max_disk_size}",
                    bands: MetricBands(good: 0.8, fair: 0.95, higherIsBetter: false, names: ["Room", "Filling", "Evicting"]))),
            MetricDescriptor(
                "max_disk_size", .info, .bytes, help: "Configured limit on entry-file bytes (max_disk_size).",
                export: MetricExport(family: "cache_max_disk_size", help: "Configured limit on entry-file bytes (max_disk_size).")),
            MetricDescriptor(
                "max_memory_size", .info, .items, help: "Configured capacity of the memory tier in entries (max_memory_size).",
                export: MetricExport(family: "cache_max_memory_items", help: "Configured capacity of the memory tier (max_memory_size).")),
            MetricDescriptor(
                "default_ttl", .info, .seconds, help: "Configured default time to live of an entry (0: no expiry).",
                export: MetricExport(family: "cache_default_ttl", help: "Configured default time to live of an entry."),
                display: MetricDisplay("Default TTL", .duration)),
            MetricDescriptor("cache_dir", .info, .none, help: "The directory the disk tier keeps its files in."),
            MetricDescriptor("timestamp", .info, .seconds, help: "When the sample was taken (Unix seconds)."),
        ] + lifetime + [
            // /metrics exports the size through cache_size_mb, in bytes.
            MetricDescriptor("size_bytes", .gauge, .bytes, help: "Bytes of entry files on disk."),
        ]
    }()

    /// The never-reset twins of the resettable counts: read by `/metrics`, not shown.
    private static let lifetime: [MetricDescriptor] = [
        "memory_hits", "disk_hits", "misses", "sets", "deletes", "expired_entries", "evictions", "disk_evictions",
        "corrupt_entries", "disk_errors", "total_requests",
    ].map { name in
        MetricDescriptor("lifetime_" + name, .counter, .items, help: "\(name) since the cache started; never reset.")
    }
}

import CacheSource
import MonitorKitCore
@testable import SinkTUI

/// Events shaped as the cache and alert sink emit them, for the view tests.
enum Fixtures {
    static let t0 = 1_800_000_000.0

    /// `cache.stats` fields in the order the cache emits them, with the figures that matter here.
    static func cacheStats(
        memory: Int = 120, disk: Int = 345, hits: Int = 900, misses: Int = 100, expired: Int = 7,
        sizeMB: Double = 12.5, uptimeMinutes: Double = 134.0, time: Double = t0
    ) -> Fields {
        let total = hits + misses
        return [
            "memory_items": .int(memory), "disk_items": .int(disk), "memory_hits": .int(hits - 10), "disk_hits": .int(10),
            "misses": .int(misses), "hits": .int(hits), "total_requests": .int(total),
            "hit_rate": .double(total == 0 ? 0 : Double(hits) / Double(total)), "recent_hit_rate": .double(0.85),
            "expired_entries": .int(expired), "evictions": .int(3), "disk_evictions": .int(0), "cache_size_mb": .double(sizeMB),
            "uptime_minutes": .double(uptimeMinutes), "start_time": .double(time - uptimeMinutes * 60), "sets": .int(500),
            "deletes": .int(4), "corrupt_entries": .int(0), "disk_errors": .int(0), "max_memory_size": .int(200),
            "default_ttl": .int(3600), "cache_dir": .string("/var/cache/monitord"), "timestamp": .double(time),
        ]
    }

    static func cacheEvent(time: Double = t0, memory: Int = 120, disk: Int = 345, hits: Int = 900, misses: Int = 100, sizeMB: Double = 12.5) -> Event {
        Event(source: "cache", name: "cache.stats", kind: .metric, time: time,
              fields: cacheStats(memory: memory, disk: disk, hits: hits, misses: misses, sizeMB: sizeMB, time: time))
    }

    static func internalStats(time: Double = t0, dropped: Int = 0, queued: Int = 2) -> Event {
        Event(source: "internal", name: "internal.stats", kind: .metric, time: time, fields: [
            "events_published": .int(4321), "uptime_seconds": .double(8040),
            "subscriptions": .object([
                "api": .object(["received": .int(100), "delivered": .int(98), "dropped": .int(0), "queued": .int(queued), "capacity": .int(1000), "when_full": .string("drop_oldest")]),
                "log": .object(["received": .int(100), "delivered": .int(90), "dropped": .int(dropped), "queued": .int(10), "capacity": .int(10), "when_full": .string("drop_newest")]),
            ]),
            "sources": .object([
                "cache": .object(["state": .string("ok"), "samples": .int(1608), "errors": .int(0), "overruns": .int(0), "last_duration_seconds": .double(0.0021), "last_success": .double(time - 1)]),
            ]),
        ])
    }

    static func alert(_ name: String, state: String, severity: String, fingerprint: String, value: Double = 0.62, threshold: Double = 0.7) -> Event {
        Event(source: "alerts", name: "alert", kind: .alert, time: t0, fields: [
            "alertname": .string(name), "state": .string(state), "previous_state": .string("inactive"), "severity": .string(severity),
            "metric": .string("cache.recent_hit_rate"), "value": .double(value), "threshold": .double(threshold),
            "labels": .object(["alertname": .string(name), "severity": .string(severity)]),
            "summary": .string("\(name) summary"), "description": .string(""), "active_at": .double(t0 - 200),
            "fired_at": state == "firing" ? .double(t0 - 100) : .null, "resolved_at": .null, "fingerprint": .string(fingerprint),
        ])
    }

    /// A state as the sink would build it: two sources, a minute of cache history, pipeline figures.
    static func state(samples: Int = 60, width: Int = 80) -> DashboardState {
        var state = DashboardState(mode: .remote(url: "http://127.0.0.1:8000"), version: "0.1.0", connection: .live)
        state.apply(DashboardSnapshot(
            version: "0.1.0", startTime: t0 - 8040,
            sources: [
                SourceEntry(id: "cache", type: "cache", state: "ok", actions: ["stats", "clear"], metrics: CacheStatistics.descriptors),
                SourceEntry(id: "internal", type: "internal", state: "ok", actions: []),
            ],
            history: [
                "cache": (0..<samples).map { i in
                    cacheEvent(time: t0 - Double(samples - 1 - i) * 5, memory: 100 + i, disk: 300 + i, hits: 800 + i * 2, misses: 100, sizeMB: 10 + Double(i) / 10)
                },
                "internal": [internalStats()],
            ]))
        return state
    }

    static func text(_ lines: [ScreenLine]) -> [String] { lines.map(\.text) }
}

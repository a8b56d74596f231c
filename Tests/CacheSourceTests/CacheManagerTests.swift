import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: tiers and statistics")
struct CacheManagerTests {
    @Test("200 in memory and every one of 550 entries on disk")
    func memoryBoundAndWriteThrough() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 200)
            for i in 0..<550 { try cache.set("key-\(i)", Array("value-\(i)".utf8)) }
            let stats = cache.stats()
            #expect(stats.memoryItems == 200)
            #expect(stats.diskItems == 550)
            #expect(stats.evictions == 350)
            #expect(stats.sets == 550)
            #expect(entryFiles(dir).count == 550)
            // The oldest entry left memory but not the cache: it comes back from disk.
            let first = try cache.getWithMetadata("key-0")
            #expect(first?.bytes == Array("value-0".utf8))
            #expect(first?.tier == "disk")
            #expect(try cache.getWithMetadata("key-0")?.tier == "memory")
            #expect(try cache.getWithMetadata("key-549")?.tier == "memory")
        }
    }

    @Test("2 hits and 1 miss after a reset give a hit rate of 0.6667")
    func hitRate() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("a", [1])
            try cache.set("b", [2])
            _ = try cache.get("nothing")
            cache.resetStats()
            #expect(try cache.get("a") == [1])
            #expect(try cache.get("b") == [2])
            #expect(try cache.get("missing") == nil)
            let stats = cache.stats()
            #expect(stats.totalRequests == 3)
            #expect(stats.hits == 2)
            #expect(stats.misses == 1)
            #expect(abs(stats.hitRate - 0.6667) < 0.001)
            #expect(abs(stats.recentHitRate - 0.6667) < 0.001)
            #expect(stats.fields["hit_rate"] == .double(stats.hitRate))
            #expect(stats.fields["total_requests"] == .int(3))
        }
    }

    @Test("hit_rate is exactly 0.0 with no requests")
    func hitRateWithoutRequests() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("a", [1])
            let stats = cache.stats()
            #expect(stats.totalRequests == 0)
            #expect(stats.fields["hit_rate"] == .double(0.0))
            #expect(stats.fields["recent_hit_rate"] == .double(0.0))
        }
    }

    @Test("clear removes both tiers; every count is 0 and cache_size_mb 0.0")
    func clear() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 3)
            for i in 0..<5 { try cache.set("k\(i)", [UInt8](repeating: 7, count: 1000)) }
            _ = try cache.get("k4")
            _ = try cache.get("none")
            #expect(cache.stats().cacheSizeMB > 0)
            let removed = cache.clear()
            #expect(removed == CacheClearResult(memoryItems: 3, diskItems: 5))
            #expect(removed.fields == ["memory_items": 3, "disk_items": 5, "total_items": 8])
            let stats = cache.stats()
            for name in ["memory_items", "disk_items", "memory_hits", "disk_hits", "misses", "hits", "total_requests",
                         "expired_entries", "evictions", "disk_evictions", "sets", "deletes", "corrupt_entries", "disk_errors", "size_bytes"] {
                #expect(stats.fields[name] == .int(0), "\(name)")
            }
            #expect(stats.fields["cache_size_mb"] == .double(0.0))
            #expect(stats.fields["hit_rate"] == .double(0.0))
            #expect(entryFiles(dir).isEmpty)
            #expect(try cache.get("k1") == nil)
            // Lifetime counts survive the reset, for monotonic /metrics.
            #expect(stats.lifetimeSets == 5)
            #expect(stats.lifetimeMisses == 1)
        }
    }

    @Test("clear without a stats reset keeps the counters")
    func clearKeepingStats() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("a", [1])
            _ = try cache.get("a")
            cache.clear(resetStats: false)
            let stats = cache.stats()
            #expect(stats.memoryHits == 1)
            #expect(stats.sets == 1)
            #expect(stats.diskItems == 0)
        }
    }

    @Test("resetStats keeps uptime and start time")
    func resetKeepsUptime() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, now: clock.function)
            let start = clock.now()
            clock.advance(120)
            try cache.set("a", [1])
            _ = try cache.get("a")
            cache.resetStats()
            let stats = cache.stats()
            #expect(stats.startTime == start)
            #expect(stats.uptimeMinutes == 2.0)
            #expect(stats.memoryHits == 0)
            #expect(stats.sets == 0)
            #expect(stats.diskItems == 1)
            #expect(stats.lifetimeMemoryHits == 1)
        }
    }

    @Test("delete removes both tiers and counts; a second delete finds nothing")
    func delete() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("a", [1, 2, 3])
            #expect(try cache.delete("a"))
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir, "a")))
            #expect(try cache.get("a") == nil)
            #expect(try !cache.delete("a"))
            let stats = cache.stats()
            #expect(stats.deletes == 1)
            #expect(stats.diskItems == 0)
            #expect(stats.memoryItems == 0)
            #expect(stats.sizeBytes == 0)
        }
    }

    @Test("replacing a value keeps one entry and the newest bytes")
    func replace() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("a", [UInt8](repeating: 1, count: 100), metadata: ["v": "1"])
            try cache.set("a", [UInt8](repeating: 2, count: 50), metadata: ["v": "2"])
            let stats = cache.stats()
            #expect(stats.diskItems == 1)
            #expect(stats.memoryItems == 1)
            let size = try FileManager.default.attributesOfItem(atPath: entryPath(dir, "a"))[.size] as? Int
            #expect(stats.sizeBytes == Int64(size ?? -1))
            let value = try cache.getWithMetadata("a")
            #expect(value?.bytes == [UInt8](repeating: 2, count: 50))
            #expect(value?.metadata == ["v": "2"])
        }
    }

    @Test("stats fields are the contract's, in its order, with its types")
    func statsFields() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 7, defaultTTL: .seconds(90))
            let fields = cache.stats().fields
            #expect(fields.names == [
                "memory_items", "disk_items", "memory_hits", "disk_hits", "misses", "hits", "total_requests", "hit_rate",
                "recent_hit_rate", "expired_entries", "evictions", "disk_evictions", "cache_size_mb", "uptime_minutes",
                "start_time", "sets", "deletes", "corrupt_entries", "disk_errors", "memory_bytes", "max_memory_size", "default_ttl",
                "cache_dir", "timestamp", "lifetime_memory_hits", "lifetime_disk_hits", "lifetime_misses", "lifetime_sets",
                "lifetime_deletes", "lifetime_expired_entries", "lifetime_evictions", "lifetime_disk_evictions",
                "lifetime_corrupt_entries", "lifetime_disk_errors", "lifetime_total_requests", "size_bytes", "disk_usage_ratio",
                "max_disk_size",
            ])
            #expect(fields["max_memory_size"] == .int(7))
            #expect(fields["default_ttl"] == .int(90))
            #expect(fields["cache_dir"] == .string(dir))
            for (name, value) in fields where !["hit_rate", "recent_hit_rate", "cache_size_mb", "uptime_minutes", "start_time", "timestamp", "cache_dir", "disk_usage_ratio"].contains(name) {
                guard case .int = value else { Issue.record("\(name) is \(value), not an int"); continue }
            }
            for name in ["hit_rate", "recent_hit_rate", "cache_size_mb", "uptime_minutes", "start_time", "timestamp", "disk_usage_ratio"] {
                guard case .double = fields[name] else { Issue.record("\(name) is not a double"); continue }
            }
        }
    }

    @Test("recent_hit_rate forgets requests older than the window")
    func recentWindow() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, window: .seconds(60), now: clock.function)
            try cache.set("a", [1], ttl: .seconds(100_000))
            for _ in 0..<4 { _ = try cache.get("missing") }
            clock.advance(61)
            _ = try cache.get("a")
            let stats = cache.stats()
            #expect(stats.recentHitRate == 1.0)
            #expect(abs(stats.hitRate - 0.2) < 1e-9)
            clock.advance(61)
            #expect(cache.stats().recentHitRate == 0.0)
        }
    }

    @Test("a manager with no memory tier serves every lookup from disk")
    func noMemoryTier() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            try cache.set("a", [9])
            #expect(try cache.getWithMetadata("a")?.tier == "disk")
            #expect(try cache.getWithMetadata("a")?.tier == "disk")
            let stats = cache.stats()
            #expect(stats.memoryItems == 0)
            #expect(stats.diskHits == 2)
            #expect(stats.evictions == 0)
        }
    }
}

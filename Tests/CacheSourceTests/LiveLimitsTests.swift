import Foundation
import Logging
import MonitorKitCore
import Testing
@testable import CacheSource

/// Issue 17: a reload hands a running cache new limits; it keeps what fits, warm.
@Suite("CacheManager: limits changed while running")
struct LiveLimitsTests {
    private func value(_ length: Int, _ seed: UInt8) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0) &+ seed }
    }

    @Test("lower memory bounds evict the least recently used down to them; the rest stay memory hits, nothing leaves disk")
    func shrinkMemory() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 10, maxMemoryBytes: 1 << 20, maxMemoryValueBytes: 1 << 20)
            for i in 0..<10 { try cache.set("k\(i)", value(100, UInt8(i))) }
            _ = try cache.get("k0")  // now the most recently used
            var limits = cache.limits
            limits.maxMemoryItems = 4
            limits.maxMemoryValueBytes = 1 << 20
            limits.defaultTTL = .seconds(5)
            try cache.setLimits(limits)
            let stats = cache.stats()
            #expect(stats.memoryItems == 4)
            #expect(stats.evictions == 6)
            #expect(stats.diskItems == 10)
            #expect(stats.maxMemorySize == 4)
            #expect(stats.defaultTTL == 5)
            for key in ["k0", "k9", "k8", "k7"] { #expect(try cache.getWithMetadata(key)?.tier == "memory") }
            #expect(try cache.getWithMetadata("k1")?.tier == "disk")
        }
    }

    @Test("a lower max_memory_value_size lets go of the values now too large; a lower max_disk_size evicts files")
    func shrinkValuesAndDisk() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 10, maxMemoryBytes: 1 << 20, maxMemoryValueBytes: 1 << 20, maxDiskBytes: 0)
            try cache.set("big", value(5000, 1))
            try cache.set("small", value(10, 2))
            var limits = cache.limits
            limits.maxMemoryValueBytes = 1000
            limits.maxDiskBytes = 1000
            try cache.setLimits(limits)
            #expect(try cache.getWithMetadata("small")?.tier == "memory")
            #expect(try cache.get("big") == nil, "over the new disk limit: evicted, least recently used first")
            #expect(cache.stats().diskItems == 1)
        }
    }

    @Test("limits out of range are refused and change nothing")
    func refused() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 10)
            var limits = cache.limits
            limits.maxMemoryItems = -1
            #expect(throws: StoreError.self) { try cache.setLimits(limits) }
            #expect(cache.limits.maxMemoryItems == 10)
        }
    }
}

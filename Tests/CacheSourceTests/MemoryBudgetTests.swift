import Foundation
import Logging
import MonitorKitCore
import Testing
@testable import CacheSource

/// Issue 10, defect 5: the memory tier is bounded by bytes as well as by items, and a value over
/// `max_memory_value_size` is served from disk only.
@Suite("CacheManager: the memory tier's byte budget")
struct MemoryBudgetTests {
    private func value(_ length: Int, _ seed: UInt8) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: $0) &+ seed }
    }

    @Test("memory holds at most max_memory_bytes of values; the least recently used leave memory, not the cache")
    func byteBound() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 100, maxMemoryBytes: 10_000, maxMemoryValueBytes: 4000)
            for i in 0..<10 { try cache.set("audio:\(i)", value(3000, UInt8(i))) }
            let stats = cache.stats()
            #expect(stats.memoryItems == 3)
            #expect(stats.memoryBytes == 9000)
            #expect(stats.evictions == 7)
            #expect(stats.diskItems == 10)
            #expect(try cache.getWithMetadata("audio:9")?.tier == "memory")
            // The oldest left memory but reads back whole from disk (and is promoted, evicting another).
            let oldest = try cache.getWithMetadata("audio:0")
            #expect(oldest?.bytes == value(3000, 0))
            #expect(oldest?.tier == "disk")
            #expect(cache.stats().memoryBytes <= 10_000)
            #expect(cache.stats().memoryItems == 3)
        }
    }

    @Test("both bounds hold: the item bound with small values, the byte bound with large ones")
    func bothBounds() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 5, maxMemoryBytes: 1 << 20, maxMemoryValueBytes: 1 << 20)
            for i in 0..<20 { try cache.set("small:\(i)", value(10, 1)) }
            #expect(cache.stats().memoryItems == 5)
            #expect(cache.stats().memoryBytes == 50)
            // Two values of 600 KiB cannot share 1 MiB: the second pushes the first (and the small ones) out.
            try cache.set("large:a", value(600 << 10, 2))
            try cache.set("large:b", value(600 << 10, 3))
            let stats = cache.stats()
            #expect(stats.memoryItems == 1)
            #expect(stats.memoryBytes == 600 << 10)
            #expect(try cache.get("large:a") == value(600 << 10, 2))
        }
    }

    @Test("a value over max_memory_value_size is served from disk and never held in memory")
    func valueOverLimit() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 100, maxMemoryBytes: 1 << 20, maxMemoryValueBytes: 4096)
            try cache.set("video:1", value(4097, 9))
            #expect(cache.stats().memoryItems == 0)
            #expect(cache.stats().memoryBytes == 0)
            for _ in 0..<3 {
                let read = try cache.getWithMetadata("video:1")
                #expect(read?.bytes == value(4097, 9))
                #expect(read?.tier == "disk")
            }
            #expect(cache.stats().memoryItems == 0)
            #expect(cache.stats().diskHits == 3)

            // A value at the limit is held.
            try cache.set("video:2", value(4096, 1))
            #expect(try cache.getWithMetadata("video:2")?.tier == "memory")
            // Replacing a held value with one over the limit lets go of the old copy.
            try cache.set("video:2", value(5000, 2))
            #expect(cache.stats().memoryItems == 0)
            #expect(cache.stats().memoryBytes == 0)
            #expect(try cache.getWithMetadata("video:2")?.bytes == value(5000, 2))
        }
    }

    @Test("memory_bytes is a stats field, and follows sets, replaces, deletes and clear")
    func memoryBytesField() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            #expect(cache.stats().fields["memory_bytes"] == .int(0))
            try cache.set("a", value(1000, 0))
            try cache.set("b", value(24, 0))
            #expect(cache.stats().fields["memory_bytes"] == .int(1024))
            try cache.set("a", value(10, 0))
            #expect(cache.stats().memoryBytes == 34)
            try cache.delete("b")
            #expect(cache.stats().memoryBytes == 10)
            cache.clear()
            #expect(cache.stats().memoryBytes == 0)
        }
    }

    @Test("a memory hit hands out the stored bytes without copying them")
    func hitSharesBytes() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("k", value(4096, 5))
            let first = try #require(try cache.value("k"))
            let second = try #require(try cache.value("k"))
            #expect(first.withUnsafeReadableBytes { $0.baseAddress } == second.withUnsafeReadableBytes { $0.baseAddress })
            // So does the lookup the HTTP sink makes.
            guard case .buffer(let served) = try #require(try cache.getWithMetadata("k")).body else {
                Issue.record("a small value came as a stream")
                return
            }
            #expect(served.withUnsafeReadableBytes { $0.baseAddress } == first.withUnsafeReadableBytes { $0.baseAddress })
        }
    }

    // MARK: config

    @Test("max_memory_bytes and max_memory_value_size: defaults 256MiB and 8MiB, sizes as written")
    func configKeys() throws {
        let defaults = try decodeCacheConfig("{}")
        #expect(defaults.maxMemoryBytes.bytes == 256 << 20)
        #expect(defaults.maxMemoryValueSize.bytes == 8 << 20)
        let config = try decodeCacheConfig("max_memory_bytes: 1GiB\nmax_memory_value_size: 512KiB")
        #expect(config.maxMemoryBytes.bytes == 1 << 30)
        #expect(config.maxMemoryValueSize.bytes == 512 << 10)
    }

    @Test("max_memory_bytes and max_memory_value_size outside 0 to 1TiB are refused at their line")
    func configRanges() {
        let message = cacheConfigError
        #expect(message("max_memory_bytes: 2TiB").contains("monitord.yaml:1:19: max_memory_bytes: max_memory_bytes must be between 0 bytes and 1TiB, found 2TiB"))
        #expect(message("window: 5m\nmax_memory_value_size: 1025GiB").contains("monitord.yaml:2:24: max_memory_value_size: max_memory_value_size must be between 0 bytes and 1TiB, found 1025GiB"))
        #expect(message("max_memory_value_size: -1").contains("max_memory_value_size: a size cannot be negative, found -1"))
        #expect(message("max_memory_bytes: plenty").contains("expected a size"))
    }

    @Test("the cache source builds its manager with both byte bounds")
    func configBuilds() async throws {
        try await withTemporaryDirectory { dir in
            var config = try decodeCacheConfig("max_memory_bytes: 2KiB\nmax_memory_value_size: 1KiB")
            config.cacheDir = dir
            let context = SourceBuildContext(id: "cache", logger: .init(label: "test"), emitter: Emitter(source: "cache", bus: EventBus()))
            let source = try #require(try await config.build(context: context) as? CacheSource)
            try source.manager.set("a", value(1500, 0))
            try source.manager.set("b", value(1000, 0))
            try source.manager.set("c", value(1000, 0))
            let stats = source.manager.stats()
            #expect(stats.memoryItems == 2)
            #expect(stats.memoryBytes == 2000)
        }
    }
}

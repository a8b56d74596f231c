import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: TTL")
struct ExpiryTests {
    @Test("reading an expired entry counts one miss and one expired entry and removes its file")
    func expiredRead() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, now: clock.function)
            try cache.set("short", [1, 2, 3], ttl: .seconds(10))
            #expect(FileManager.default.fileExists(atPath: entryPath(dir, "short")))
            clock.advance(10)
            #expect(try cache.get("short") == nil)
            let stats = cache.stats()
            #expect(stats.misses == 1)
            #expect(stats.expiredEntries == 1)
            #expect(stats.hits == 0)
            #expect(stats.memoryItems == 0)
            #expect(stats.diskItems == 0)
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir, "short")))
        }
    }

    @Test("an expired entry that left memory is also a miss from disk")
    func expiredOnDisk() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0, now: clock.function)
            try cache.set("short", [1], ttl: .milliseconds(1500))
            clock.advance(1)
            #expect(try cache.getWithMetadata("short")?.expiresAt == clock.now() + 0.5)
            clock.advance(1)
            #expect(try cache.getWithMetadata("short") == nil)
            #expect(cache.stats().expiredEntries == 1)
            #expect(cache.stats().misses == 1)
        }
    }

    @Test("the default TTL applies when a set names none, and 0 means never")
    func defaultTTL() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, defaultTTL: .seconds(3600), now: clock.function)
            try cache.set("a", [1])
            #expect(try cache.getWithMetadata("a")?.expiresAt == clock.now() + 3600)
            clock.advance(3600)
            #expect(try cache.get("a") == nil)

            let forever = try CacheManager(directory: dir + "/forever", defaultTTL: .zero, now: clock.function)
            try forever.set("b", [2])
            #expect(try forever.getWithMetadata("b")?.expiresAt == nil)
            clock.advance(10 * 365 * 86400)
            #expect(try forever.get("b") == [2])
        }
    }

    @Test("the sweep purges expired entries without being asked for them")
    func sweepPurges() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            let cache = try CacheManager(directory: dir, maxMemoryItems: 2, now: clock.function)
            for i in 0..<5 { try cache.set("short-\(i)", [UInt8(i)], ttl: .seconds(5)) }
            try cache.set("long", [9], ttl: .seconds(500))
            clock.advance(6)
            let report = cache.sweep()
            #expect(report.expired == 5)
            let stats = cache.stats()
            #expect(stats.expiredEntries == 5)
            #expect(stats.diskItems == 1)
            #expect(stats.memoryItems == 1)
            #expect(entryFiles(dir).count == 1)
            #expect(try cache.get("long") == [9])
        }
    }

    @Test("entries that expired while nothing ran: a lookup or the first sweep removes and counts them")
    func expiredWhileStopped() async throws {
        try await withTemporaryDirectory { dir in
            let clock = TestClock()
            do {
                let first = try CacheManager(directory: dir, now: clock.function)
                for i in 0..<3 { try first.set("short-\(i)", [1], ttl: .seconds(5)) }
                try first.set("long", [2], ttl: .seconds(500))
            }
            clock.advance(10)
            let second = try CacheManager(directory: dir, now: clock.function)
            // Start-up reads no headers: the expired entries are counted until looked at.
            #expect(second.stats().diskItems == 4)
            #expect(try second.get("short-0") == nil)
            #expect(second.stats().expiredEntries == 1)
            let report = second.sweep()
            #expect(report.expired == 2)
            let stats = second.stats()
            #expect(stats.diskItems == 1)
            #expect(stats.expiredEntries == 3)
            #expect(entryFiles(dir).count == 1)
            #expect(try second.get("long") == [2])
            // The sweep learned the remaining entry's expiry without reading it again.
            clock.advance(500)
            #expect(second.sweep().expired == 1)
        }
    }
}

import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: an acknowledged write stays")
struct AcknowledgedWriteTests {
    @Test("a write whose file cannot fit max_disk_size is refused with too_large, and nothing else changes")
    func fileOverTheLimit() async throws {
        try await withTemporaryDirectory { dir in
            // The reproduction: max_disk_size 1MB, three small entries, then a 1,000,000-byte value.
            let cache = try CacheManager(directory: dir, maxDiskBytes: 1_000_000)
            for key in ["a", "b", "c"] { try cache.set(key, Array("small \(key)".utf8)) }
            let message = expectStoreError(.tooLarge) { try cache.set("big", [UInt8](repeating: 7, count: 1_000_000)) }
            #expect(message == "the entry's file would be 1000067 bytes (a 1000000-byte value plus its key and metadata); the cache's max_disk_size is 1000000 bytes")
            let stats = cache.stats()
            #expect(stats.diskItems == 3)
            #expect(stats.diskEvictions == 0)
            #expect(stats.sets == 3)
            for key in ["a", "b", "c"] { #expect(try cache.get(key) == Array("small \(key)".utf8)) }
            #expect(try cache.get("big") == nil)
            #expect(entryFiles(dir).count == 3)
            // The refusal survives a sweep too: the three entries were never at risk.
            #expect(cache.sweep().diskEvictions == 0)
            #expect(cache.stats().diskItems == 3)
        }
    }

    @Test("a write that just fits keeps its own entry; older entries leave least recently used first")
    func fileThatJustFits() async throws {
        try await withTemporaryDirectory { dir in
            let limit: Int64 = 100_000
            let cache = try CacheManager(directory: dir, maxMemoryItems: 2, maxDiskBytes: limit)
            for key in ["a", "b", "c"] { try cache.set(key, [UInt8](repeating: 1, count: 20_000)) }
            // Header of "big" with no metadata: 56 fixed bytes + 3 key bytes + 8 checksum bytes.
            let value = [UInt8](repeating: 9, count: Int(limit) - 67)
            try cache.set("big", value)
            #expect(try cache.get("big") == value)
            let stats = cache.stats()
            #expect(stats.diskItems == 1)
            #expect(stats.diskEvictions == 3)
            #expect(stats.sizeBytes == limit)
            for key in ["a", "b", "c"] { #expect(try cache.get(key) == nil) }
        }
    }

    @Test("the entry a set just stored is never the victim of the limit that set enforces")
    func neverTheVictim() async throws {
        try await withTemporaryDirectory { dir in
            // Each file is 60% of the limit: every set pushes the previous entry out, never its own.
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0, maxDiskBytes: 10_000)
            for round in 0..<20 {
                let value = [UInt8](repeating: UInt8(round), count: 6_000)
                try cache.set("k\(round)", value)
                #expect(try cache.get("k\(round)") == value, "round \(round)")
                #expect(cache.stats().diskItems == 1)
            }
            #expect(cache.stats().diskEvictions == 19)
        }
    }
}

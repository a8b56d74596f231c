import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: damaged files are never served")
struct DamageTests {
    /// Writes `key` with a fresh manager, damages its file with `damage`, and returns what a
    /// manager with no memory copy then reads, with its stats.
    private func readAfterDamage(_ damage: (inout [UInt8]) -> Void) async throws -> (value: [UInt8]?, stats: CacheStatistics, fileLeft: Bool) {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir)
            try writer.set("victim", derivedValue(for: "victim"), metadata: ["a": "b"])
            let path = entryPath(dir, "victim")
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            damage(&bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let reader = try CacheManager(directory: dir, maxMemoryItems: 0)
            let value = try reader.get("victim")
            return (value, reader.stats(), FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("a flipped bit in the value is caught by the checksum")
    func bitFlipInValue() async throws {
        let result = try await readAfterDamage { $0[$0.count - 100] ^= 0x10 }
        #expect(result.value == nil)
        #expect(result.stats.corruptEntries == 1)
        #expect(result.stats.misses == 1)
        #expect(result.stats.diskItems == 0)
        #expect(!result.fileLeft)
    }

    @Test("a flipped bit in the header (the key, the metadata, the expiry) is caught")
    func bitFlipInHeader() async throws {
        for offset in [41, 50, 70] {
            let result = try await readAfterDamage { $0[offset] ^= 0x01 }
            #expect(result.value == nil, "offset \(offset)")
            #expect(result.stats.corruptEntries == 1, "offset \(offset)")
            #expect(!result.fileLeft)
        }
    }

    @Test("a truncated file is never served, at read time")
    func truncatedAtRead() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            try cache.set("victim", derivedValue(for: "victim"))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: entryPath(dir, "victim")))
            try handle.truncate(atOffset: 2000)
            try handle.close()
            #expect(try cache.get("victim") == nil)
            #expect(cache.stats().corruptEntries == 1)
            #expect(cache.stats().diskItems == 0)
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir, "victim")))
        }
    }

    @Test("truncated, empty and foreign files: empty ones go at start-up, the rest at the first sweep")
    func damagedAtStart() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let cache = try CacheManager(directory: dir)
                for key in ["short", "empty", "foreign", "good"] { try cache.set(key, derivedValue(for: key)) }
            }
            try FileHandle(forWritingTo: URL(fileURLWithPath: entryPath(dir, "short"))).truncate(atOffset: 3000)
            try Data().write(to: URL(fileURLWithPath: entryPath(dir, "empty")))
            try Data("not a cache entry, just some text that is long enough for a header".utf8).write(to: URL(fileURLWithPath: entryPath(dir, "foreign")))
            let cache = try CacheManager(directory: dir)
            #expect(cache.stats().corruptEntries == 1)
            #expect(cache.stats().diskItems == 3)
            #expect(cache.sweep().corrupt == 2)
            #expect(cache.stats().corruptEntries == 3)
            #expect(cache.stats().diskItems == 1)
            #expect(entryFiles(dir).count == 1)
            #expect(try cache.get("good") == derivedValue(for: "good"))
            #expect(try cache.get("short") == nil)
        }
    }

    @Test("a file moved under another key's name is not served for that key")
    func misplacedFile() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            try cache.set("one", [1])
            try cache.set("two", [2])
            try FileManager.default.removeItem(atPath: entryPath(dir, "two"))
            try FileManager.default.copyItem(atPath: entryPath(dir, "one"), toPath: entryPath(dir, "two"))
            #expect(try cache.get("two") == nil)
            #expect(cache.stats().corruptEntries == 1)
            #expect(try cache.get("one") == [1])
        }
    }

    @Test("other files in the cache directory are left alone")
    func foreignFilesKept() async throws {
        try await withTemporaryDirectory { dir in
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: dir + "/README"))
            try FileManager.default.createDirectory(atPath: dir + "/ab/zz", withIntermediateDirectories: true)
            try Data("x".utf8).write(to: URL(fileURLWithPath: dir + "/ab/zz/note"))
            let cache = try CacheManager(directory: dir)
            try cache.set("k", [1])
            cache.sweep()
            cache.clear()
            #expect(FileManager.default.fileExists(atPath: dir + "/README"))
            #expect(FileManager.default.fileExists(atPath: dir + "/ab/zz/note"))
            #expect(cache.stats().corruptEntries == 0)
        }
    }
}

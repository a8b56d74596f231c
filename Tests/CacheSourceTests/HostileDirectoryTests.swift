import Foundation
import Testing
@testable import CacheSource

/// What another process or a hostile user can leave in the cache directory, each found by an
/// attack on this round's cache: none of it may crash, hang or mislead the cache.
@Suite("CacheManager: a hostile cache directory")
struct HostileDirectoryTests {
    @Test("a truncated generation table does not kill the process: memory hits read their files from then on")
    func truncatedTable() async throws {
        try await withTemporaryDirectory { dir in
            let a = try CacheManager(directory: dir, maxMemoryItems: 10)
            let b = try CacheManager(directory: dir, maxMemoryItems: 10)
            try a.set("k", Array("v1".utf8))
            #expect(try b.get("k") == Array("v1".utf8))  // now in b's memory
            // Another process truncates the table under both mappings: touching it raised SIGBUS.
            #expect(truncate(dir + "/" + GenerationTable.fileName, 0) == 0)
            try a.set("k", Array("v2".utf8))
            #expect(try b.get("k") == Array("v2".utf8))
            #expect(!a.generations.isTrusted)
            #expect(!b.generations.isTrusted)
            // Untrusted, a memory copy is never served without its file: b sees a's delete at once.
            #expect(try a.delete("k"))
            #expect(try b.get("k") == nil)
        }
    }

    @Test("a generation table that cannot be shared keeps no memory copy trusted")
    func unusableTable() async throws {
        try await withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir + "/" + GenerationTable.fileName, withIntermediateDirectories: false)
            let a = try CacheManager(directory: dir, maxMemoryItems: 10)
            let b = try CacheManager(directory: dir, maxMemoryItems: 10)
            #expect(a.notice?.contains("every memory hit reads its file") == true)
            try a.set("k", Array("v1".utf8))
            #expect(try b.get("k") == Array("v1".utf8))
            try a.set("k", Array("v2".utf8))
            #expect(try b.get("k") == Array("v2".utf8))
        }
    }

    @Test("a FIFO in place of an entry file is a damaged entry, not a hung lookup or sweep")
    func fifoEntry() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            try cache.set("k", [1])
            let path = entryPath(dir, "k")
            #expect(unlink(path) == 0)
            #expect(mkfifo(path, 0o600) == 0)
            #expect(try cache.get("k") == nil)
            #expect(cache.stats().corruptEntries == 1)
            #expect(mkfifo(path, 0o600) == 0)
            _ = cache.sweep()
            try cache.set("other", [2])
            #expect(try cache.get("other") == [2])
        }
    }

    @Test("a FIFO under a writer's name does not hang start-up")
    func fifoWriterLock() async throws {
        try await withTemporaryDirectory { dir in
            _ = try CacheManager(directory: dir)
            let writers = dir + "/.writers"
            #expect(mkfifo(writers + "/00112233445566ff", 0o600) == 0)
            let cache = try CacheManager(directory: dir)
            try cache.set("k", [1])
            #expect(try cache.get("k") == [1])
            #expect(!FileManager.default.fileExists(atPath: writers + "/00112233445566ff"))
        }
    }

    @Test("a huge sparse file at an entry's path is damaged, not a 200 GiB allocation")
    func sparseFile() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0, maxDiskBytes: 0)
            try cache.set("boom", [1])
            #expect(truncate(entryPath(dir, "boom"), 200 << 30) == 0)
            #expect(try cache.get("boom") == nil)
            #expect(cache.stats().corruptEntries == 1)
        }
    }
}

import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: persistence and sharing a directory")
struct PersistenceTests {
    @Test("values, metadata and a 1 MiB value survive a new manager on the same directory")
    func survivesRestart() async throws {
        try await withTemporaryDirectory { dir in
            let big = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            do {
                let cache = try CacheManager(directory: dir)
                try cache.set("transcript", Array("hola".utf8), metadata: ["lang": "es", "job": "42"])
                try cache.set("audio", big, metadata: ["format": "wav"])
                try cache.set("plain", [])
            }
            let reopened = try CacheManager(directory: dir)
            #expect(reopened.stats().diskItems == 3)
            #expect(reopened.stats().memoryItems == 0)
            let transcript = try reopened.getWithMetadata("transcript")
            #expect(transcript?.bytes == Array("hola".utf8))
            #expect(transcript?.metadata == ["lang": "es", "job": "42"])
            #expect(transcript?.tier == "disk")
            let audio = try reopened.getWithMetadata("audio")
            #expect(audio?.bytes == big)
            #expect(audio?.metadata == ["format": "wav"])
            #expect(try reopened.get("plain") == [])
            #expect(reopened.stats().corruptEntries == 0)
        }
    }

    @Test("two managers on one directory read each other's writes")
    func twoManagers() async throws {
        try await withTemporaryDirectory { dir in
            let a = try CacheManager(directory: dir)
            let b = try CacheManager(directory: dir)
            try a.set("from-a", [1], metadata: ["by": "a"])
            try b.set("from-b", [2])
            #expect(try b.getWithMetadata("from-a")?.metadata == ["by": "a"])
            #expect(try a.get("from-b") == [2])
            #expect(try b.delete("from-a"))
            // a still holds a memory copy; a read-through manager sees the delete once it falls
            // through to disk or its sweep reconciles.
            a.sweep()
            #expect(try a.get("from-a") == nil)
            #expect(a.stats().diskItems == 1)
        }
    }

    @Test("the sweep reconciles counts with another manager's writes, replacements and deletes")
    func reconcile() async throws {
        try await withTemporaryDirectory { dir in
            let mine = try CacheManager(directory: dir)
            let other = try CacheManager(directory: dir)
            for i in 0..<5 { try other.set("k\(i)", [UInt8(i)]) }
            #expect(mine.stats().diskItems == 0)
            var report = mine.sweep()
            #expect(report.discovered == 5)
            #expect(mine.stats().diskItems == 5)
            #expect(mine.stats().sizeBytes == other.stats().sizeBytes)

            // A memory copy of an entry another process replaced is dropped by the sweep.
            #expect(try mine.get("k0") == [0])
            try other.set("k0", [100, 100])
            try other.delete("k1")
            try other.delete("k2")
            report = mine.sweep()
            #expect(report.replaced == 1)
            #expect(report.vanished == 2)
            #expect(try mine.getWithMetadata("k0")?.bytes == [100, 100])
            let stats = mine.stats()
            #expect(stats.diskItems == 3)
            #expect(stats.sizeBytes == other.stats().sizeBytes)
            // Nothing changed since: a second sweep finds nothing to do.
            #expect(mine.sweep() == SweepReport())
        }
    }

    @Test("start-up rebuilds counts and size from the files")
    func startupCounts() async throws {
        try await withTemporaryDirectory { dir in
            do {
                let cache = try CacheManager(directory: dir, maxMemoryItems: 10)
                for i in 0..<30 { try cache.set("k\(i)", [UInt8](repeating: UInt8(i), count: i * 10)) }
            }
            let total = try entryFiles(dir).reduce(Int64(0)) { sum, file in
                sum + Int64((try FileManager.default.attributesOfItem(atPath: dir + "/" + file)[.size] as? Int) ?? 0)
            }
            let cache = try CacheManager(directory: dir, maxMemoryItems: 10)
            let stats = cache.stats()
            #expect(stats.diskItems == 30)
            #expect(stats.memoryItems == 0)
            #expect(stats.sizeBytes == total)
        }
    }

    @Test("start-up removes older versions' temporary files of dead or long-gone writers, and keeps a live writer's")
    func startupTemporaryFiles() async throws {
        try await withTemporaryDirectory { dir in
            // Names as monitord wrote them before writer ids (<name>.<pid>.<n>.tmp).
            let hex = EntryDigest(key: "x").hex
            let leaf = "\(dir)/\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))"
            try FileManager.default.createDirectory(atPath: leaf, withIntermediateDirectories: true)
            let deadWriter = "\(leaf)/\(hex).2000000000.1.tmp"
            let liveFresh = "\(leaf)/\(hex).\(getppid()).2.tmp"
            let liveStale = "\(leaf)/\(hex).\(getppid()).3.tmp"
            // This process's own PID: a previous run (a restarted container), since this run's names carry its writer id.
            let previousRun = "\(leaf)/\(hex).\(getpid()).4.tmp"
            let probe = "\(dir)/.probe.2000000000.9.tmp"
            for path in [deadWriter, liveFresh, liveStale, previousRun, probe] {
                #expect(FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3])))
            }
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: liveStale)
            let cache = try CacheManager(directory: dir)
            #expect(temporaryFiles(dir) == ["\(hex.prefix(2))/\(hex.dropFirst(2).prefix(2))/\(hex).\(getppid()).2.tmp"])
            #expect(cache.stats().diskItems == 0)
        }
    }

    @Test("after a restart, eviction follows the files' modification order")
    func evictionOrderAfterRestart() async throws {
        try await withTemporaryDirectory { dir in
            let value = [UInt8](repeating: 1, count: 1000)
            do {
                let cache = try CacheManager(directory: dir, maxDiskBytes: 0)
                for i in 0..<6 { try cache.set("k\(i)", value) }
            }
            // Make k3 the oldest and k0 the newest file.
            let base = Date().addingTimeInterval(-1000)
            for (rank, i) in [3, 5, 1, 4, 2, 0].enumerated() {
                try FileManager.default.setAttributes([.modificationDate: base.addingTimeInterval(Double(rank))], ofItemAtPath: entryPath(dir, "k\(i)"))
            }
            let fileSize = Int64((try FileManager.default.attributesOfItem(atPath: entryPath(dir, "k0"))[.size] as? Int) ?? 0)
            let cache = try CacheManager(directory: dir, maxDiskBytes: fileSize * 4)
            let report = cache.sweep()
            #expect(report.diskEvictions == 2)
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir, "k3")))
            #expect(!FileManager.default.fileExists(atPath: entryPath(dir, "k5")))
            for i in [0, 1, 2, 4] { #expect(try cache.get("k\(i)") == value) }
            #expect(cache.stats().diskEvictions == 2)
        }
    }
}

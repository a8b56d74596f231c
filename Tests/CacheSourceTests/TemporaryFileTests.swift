import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: temporary files and their writers")
struct TemporaryFileTests {
    /// The `ab/cd` directory of `key`'s entry, created.
    private func leaf(_ dir: String, _ key: String) throws -> String {
        let path = (entryPath(dir, key) as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The writer ids registered in `<dir>/.writers` now.
    private func writers(_ dir: String) -> Set<String> {
        Set(((try? FileManager.default.contentsOfDirectory(atPath: dir + "/.writers")) ?? []).filter { !$0.hasPrefix(".") })
    }

    @Test("a restarted container's leftovers (same PID, same counter) neither block a write nor survive start-up")
    func samePIDAfterRestart() async throws {
        try await withTemporaryDirectory { dir in
            // A previous run with this PID died while writing "k": its names are the ones this
            // run's first writes would pick if names were only <pid>.<n>.
            let hex = EntryDigest(key: "k").hex
            let leaf = try leaf(dir, "k")
            for n in 0...8 {
                #expect(FileManager.default.createFile(atPath: "\(leaf)/\(hex).\(getpid()).\(n).tmp", contents: Data([1])))
            }
            let cache = try CacheManager(directory: dir)
            #expect(temporaryFiles(dir).isEmpty)
            try cache.set("k", Array("value".utf8))
            #expect(try cache.get("k") == Array("value".utf8))
            #expect(cache.stats().diskErrors == 0)
        }
    }

    @Test("two managers in one process writing one key at the same moment both succeed")
    func twoManagersOneProcess() async throws {
        try await withTemporaryDirectory { dir in
            let first = try CacheManager(directory: dir, maxMemoryItems: 0)
            let second = try CacheManager(directory: dir, maxMemoryItems: 0)
            // While the first manager's write of "k" is between its temporary file and the
            // rename, the second writes "k" too: both are the first write of their manager.
            let inside = LockedValue<Bool?>(nil)
            first.disk.hooks.withLock { hooks in
                hooks.beforeRename = { _ in
                    guard inside.value == nil else { return }
                    inside.value = (try? second.set("k", Array("second".utf8))) != nil
                }
            }
            try first.set("k", Array("first".utf8))
            first.disk.hooks.withLock { $0 = DiskHooks() }
            #expect(inside.value == true, "the second manager's write failed")
            #expect(second.stats().diskErrors == 0)
            // The first rename came last, so its value is the one on disk.
            #expect(try second.get("k") == Array("first".utf8))
            #expect(temporaryFiles(dir).isEmpty)
        }
    }

    @Test("a dead writer's leftovers go at start-up and at the sweep; a live writer's stay")
    func leftoversByWriterLock() async throws {
        try await withTemporaryDirectory { dir in
            var live: CacheManager? = try CacheManager(directory: dir)
            let liveID = try #require(writers(dir).first, "a manager registers itself in .writers")
            // A writer that died: its lock file is there, nobody holds its lock.
            let deadID = "00000000deadbeef"
            try FileManager.default.createDirectory(atPath: dir + "/.writers", withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: dir + "/.writers/" + deadID, contents: nil))
            let deadFile = "\(try leaf(dir, "a"))/\(EntryDigest(key: "a").hex).\(deadID).1.tmp"
            let liveFile = "\(try leaf(dir, "b"))/\(EntryDigest(key: "b").hex).\(liveID).1.tmp"
            // A writer id nobody registered at all (its lock file went with it).
            let goneFile = "\(try leaf(dir, "c"))/\(EntryDigest(key: "c").hex).0123456789abcdef.7.tmp"
            for path in [deadFile, liveFile, goneFile] { #expect(FileManager.default.createFile(atPath: path, contents: Data([1]))) }

            let cache = try CacheManager(directory: dir)
            #expect(!FileManager.default.fileExists(atPath: deadFile))
            #expect(!FileManager.default.fileExists(atPath: goneFile))
            #expect(FileManager.default.fileExists(atPath: liveFile), "another manager's write in progress was removed")
            #expect(!writers(dir).contains(deadID))
            #expect(writers(dir).count == 2)

            // The live writer ends: its lock is released, and the next sweep takes its leftover.
            live = nil
            #expect(live == nil)
            #expect(cache.sweep().temporaryFilesRemoved == 1)
            #expect(temporaryFiles(dir).isEmpty)
            #expect(writers(dir).count == 1)
            try cache.set("b", [2])
            #expect(try cache.get("b") == [2])
        }
    }
}

import Foundation
import Logging
import MonitorKitCore
import Synchronization
import Testing
@testable import CacheSource

/// Issue 10, defect 3: a replace, delete or clear made by another manager on the directory (in
/// this process or another) is never served stale from memory once that call has returned.
@Suite("CacheManager: another manager's changes are never served stale from memory")
struct GenerationTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("a replace by another manager is read back at once, then served from memory again")
    func replaceByAnotherManager() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir)
            let reader = try CacheManager(directory: dir)
            try writer.set("tts:job-42", bytes("first take"))
            #expect(try reader.getWithMetadata("tts:job-42")?.tier == "disk")
            #expect(try reader.getWithMetadata("tts:job-42")?.tier == "memory")

            try writer.set("tts:job-42", bytes("second take"))
            let after = try reader.getWithMetadata("tts:job-42")
            #expect(after?.bytes == bytes("second take"))
            #expect(after?.tier == "disk")
            let again = try reader.getWithMetadata("tts:job-42")
            #expect(again?.bytes == bytes("second take"))
            #expect(again?.tier == "memory")
            #expect(reader.stats().memoryItems == 1)
        }
    }

    @Test("a delete by another manager is a miss at once")
    func deleteByAnotherManager() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir)
            let reader = try CacheManager(directory: dir)
            try writer.set("transcript:7", bytes("hola"))
            #expect(try reader.get("transcript:7") == bytes("hola"))
            #expect(try reader.getWithMetadata("transcript:7")?.tier == "memory")

            #expect(try writer.delete("transcript:7"))
            #expect(try reader.get("transcript:7") == nil)
            let stats = reader.stats()
            #expect(stats.memoryItems == 0)
            #expect(stats.diskItems == 0)
        }
    }

    @Test("a clear by another manager empties what this one holds in memory")
    func clearByAnotherManager() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir)
            let reader = try CacheManager(directory: dir)
            let keys = (0..<50).map { "segment:\($0)" }
            for key in keys { try writer.set(key, bytes(key)) }
            for key in keys { _ = try reader.get(key) }
            #expect(reader.stats().memoryItems == keys.count)

            writer.clear()
            for key in keys { #expect(try reader.get(key) == nil, "\(key) was served after the clear") }
            #expect(reader.stats().memoryItems == 0)
        }
    }

    @Test("every key of many replaced by another manager reads back new, none stale")
    func manyReplacements() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir, maxMemoryItems: 1000)
            let reader = try CacheManager(directory: dir, maxMemoryItems: 1000)
            let keys = (0..<1000).map { "clip:\($0)" }
            for key in keys { try writer.set(key, bytes("old \(key)")) }
            for key in keys { _ = try reader.get(key) }
            for key in keys { try writer.set(key, bytes("new \(key)")) }
            let stale = try keys.filter { try reader.get($0) != bytes("new \($0)") }
            #expect(stale.isEmpty, "served stale: \(stale.prefix(5))")
        }
    }

    @Test("a replace, delete or clear by another process is seen at once once its call returned")
    func changesByAnotherProcess() async throws {
        try await withTemporaryDirectory { dir in
            let reader = try CacheManager(directory: dir)
            try reader.set("voice:es", bytes("mine"))
            #expect(try reader.getWithMetadata("voice:es")?.tier == "memory")

            #expect(try await runHammer(["set", dir, "voice:es", "theirs"]) == 0)
            #expect(try reader.get("voice:es") == bytes("theirs"))
            #expect(try reader.getWithMetadata("voice:es")?.tier == "memory")

            #expect(try await runHammer(["delete", dir, "voice:es"]) == 0)
            #expect(try reader.get("voice:es") == nil)

            try reader.set("voice:fr", bytes("mine"))
            #expect(try reader.getWithMetadata("voice:fr")?.tier == "memory")
            #expect(try await runHammer(["clear", dir]) == 0)
            #expect(try reader.get("voice:fr") == nil)
        }
    }

    // MARK: the table file

    static let damagedTables: [(name: String, contents: [UInt8])] = [
        ("a few stray bytes", Array("not a table".utf8)),
        ("the right size but the wrong magic", [UInt8](repeating: 0xAB, count: GenerationTable.fileLength)),
        ("another version", tableHeader(version: 99)),
        ("made for another slot count", tableHeader(version: GenerationTable.version, slots: 12)),
    ]

    static func tableHeader(version: UInt32, slots: UInt64 = UInt64(GenerationTable.slotCount)) -> [UInt8] {
        var file = [UInt8](repeating: 0, count: GenerationTable.fileLength)
        file.replaceSubrange(0..<4, with: Array("MKGT".utf8))
        withUnsafeBytes(of: version) { file.replaceSubrange(4..<8, with: $0) }
        withUnsafeBytes(of: slots) { file.replaceSubrange(8..<16, with: $0) }
        return file
    }

    @Test("a damaged generation table, or one of another version, is recreated and said so; entries stay", arguments: 0..<4)
    func damagedTable(_ index: Int) async throws {
        let damage = Self.damagedTables[index]
        try await withTemporaryDirectory { dir in
            try CacheManager(directory: dir).set("kept", bytes("still here"))
            let table = dir + "/" + GenerationTable.fileName
            try Data(damage.contents).write(to: URL(fileURLWithPath: table))

            let reader = try CacheManager(directory: dir)
            let notice = try #require(reader.notice, "no notice for \(damage.name)")
            #expect(notice.hasPrefix("\(table) was "), "\(notice)")
            #expect(notice.contains("it has been recreated"), "\(notice)")
            #expect(try reader.get("kept") == bytes("still here"))

            // The recreated table works: another manager's replace is seen at once.
            let writer = try CacheManager(directory: dir)
            #expect(writer.notice == nil)
            try writer.set("kept", bytes("replaced"))
            #expect(try reader.get("kept") == bytes("replaced"))
            #expect(try FileManager.default.attributesOfItem(atPath: table)[.size] as? Int == GenerationTable.fileLength)
        }
    }

    @Test("the cache source logs a recreated table as a warning naming the file")
    func recreatedTableIsLogged() async throws {
        try await withTemporaryDirectory { dir in
            try Data(Self.tableHeader(version: 2)).write(to: URL(fileURLWithPath: dir + "/" + GenerationTable.fileName))
            var config = CacheSourceConfig()
            config.cacheDir = dir
            let lines = RecordedLines()
            let logger = Logger(label: "cache") { _ in RecordingLogHandler(lines: lines) }
            _ = try await config.build(context: SourceBuildContext(id: "cache", logger: logger, emitter: Emitter(source: "cache", bus: EventBus())))
            let logged = lines.all
            #expect(logged.count == 1)
            #expect(logged.first?.level == .warning)
            #expect(logged.first?.message == "\(dir)/.generations was of version 2 (this monitord uses 1); it has been recreated (memory copies other processes hold are read again from their files once)")
        }
    }

    @Test("a fresh directory gets its table silently")
    func freshDirectory() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir + "/new")
            #expect(cache.notice == nil)
            #expect(FileManager.default.fileExists(atPath: dir + "/new/" + GenerationTable.fileName))
            try cache.set("a", bytes("b"))
            cache.clear()
            // clear removes entries, never the table other processes map.
            #expect(FileManager.default.fileExists(atPath: dir + "/new/" + GenerationTable.fileName))
        }
    }
}

/// Log lines a test's logger received.
final class RecordedLines: Sendable {
    private let lines = Mutex<[(level: Logger.Level, message: String)]>([])
    var all: [(level: Logger.Level, message: String)] { lines.withLock { $0 } }
    func append(_ level: Logger.Level, _ message: String) { lines.withLock { $0.append((level, message)) } }
}

/// A log handler that records into ``RecordedLines``.
struct RecordingLogHandler: LogHandler {
    let lines: RecordedLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append(event.level, event.message.description)
    }
}

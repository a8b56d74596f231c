import Foundation
import Testing

@testable import CacheSource
@testable import MonitorKitCore

/// A `cache_dir` that breaks under a running cache: the cache source reports it through its
/// condition (health shows it failing) and makes the directory again when it can.
@Suite struct DirectoryRecoveryTests {
    /// Every change of the condition's fault, in order.
    static func recording(_ condition: SourceCondition) -> LockedValue<[String?]> {
        let seen = LockedValue<[String?]>([])
        condition.observe { fault in seen.update { $0.append(fault) } }
        return seen
    }

    @Test("a sweep reports a removed directory, the next sweep makes it again and withdraws the report")
    func sweepRecreatesARemovedDirectory() async throws {
        try await withTemporaryDirectory { root in
            let directory = root + "/cache"
            let condition = SourceCondition()
            let seen = Self.recording(condition)
            let source = CacheSource(manager: try CacheManager(directory: directory), sweepInterval: .milliseconds(20), condition: condition)
            try FileManager.default.removeItem(atPath: directory)
            let sweeping = Task { try await source.run() }
            defer { sweeping.cancel() }
            #expect(await eventually { seen.value.count >= 2 })
            let faults = seen.value
            #expect(faults.first??.contains("cache directory \"\(directory)\" cannot be used: it no longer exists") == true, "\(faults)")
            #expect(faults.dropFirst().first == .some(nil))
            #expect(FileManager.default.fileExists(atPath: directory))
            try await source.set("k", value: [7], ttl: nil, metadata: [:])
            #expect(try await source.get("k")?.bytes == [7])
            #expect(!entryFiles(directory).isEmpty)
        }
    }

    @Test("a write into a removed directory fails and reports it; the next write recreates the directory and succeeds")
    func writeRecreatesARemovedDirectory() async throws {
        try await withTemporaryDirectory { root in
            let directory = root + "/cache"
            let condition = SourceCondition()
            let source = CacheSource(manager: try CacheManager(directory: directory), condition: condition)
            try FileManager.default.removeItem(atPath: directory)
            await #expect(throws: StoreError.self) { try await source.set("a", value: [1], ttl: nil, metadata: [:]) }
            #expect(condition.fault?.contains("it no longer exists") == true)
            try await source.set("b", value: [2], ttl: nil, metadata: [:])
            #expect(condition.fault == nil)
            #expect(entryFiles(directory).count == 1)
        }
    }

    @Test("a directory that no write can use (a file in its place) stays reported until it is usable again")
    func fileInPlaceStaysReported() async throws {
        try await withTemporaryDirectory { root in
            let directory = root + "/cache"
            let condition = SourceCondition()
            let source = CacheSource(manager: try CacheManager(directory: directory), condition: condition)
            try FileManager.default.removeItem(atPath: directory)
            try Data("x".utf8).write(to: URL(fileURLWithPath: directory))
            for _ in 0..<2 {
                await #expect(throws: StoreError.self) { try await source.set("a", value: [1], ttl: nil, metadata: [:]) }
                #expect(condition.fault?.contains("it is no longer a directory") == true)
            }
            try FileManager.default.removeItem(atPath: directory)
            try await source.set("a", value: [1], ttl: nil, metadata: [:])
            #expect(condition.fault == nil)
        }
    }

    @Test("a symbolic link swapped in for the directory is not followed: writes fail and nothing lands where it points")
    func symlinkInPlaceIsNotFollowed() async throws {
        try await withTemporaryDirectory { root in
            let directory = root + "/cache", elsewhere = root + "/elsewhere"
            let condition = SourceCondition()
            let source = CacheSource(manager: try CacheManager(directory: directory), condition: condition)
            try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createSymbolicLink(atPath: directory, withDestinationPath: elsewhere)
            for _ in 0..<3 {
                await #expect(throws: StoreError.self) { try await source.set("a", value: [1], ttl: nil, metadata: [:]) }
            }
            #expect(condition.fault?.contains("replaced by a symbolic link") == true, "\(condition.fault ?? "no fault")")
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
        }
    }

    @Test("a directory others may write in, made where the cache's was, is not taken over")
    func aForeignDirectoryIsNotAdopted() async throws {
        try await withTemporaryDirectory { root in
            let directory = root + "/cache"
            let condition = SourceCondition()
            let source = CacheSource(manager: try CacheManager(directory: directory), condition: condition)
            try FileManager.default.removeItem(atPath: directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            // chmod, not the creation mode, which the umask would narrow.
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory)
            for _ in 0..<3 {
                await #expect(throws: StoreError.self) { try await source.set("a", value: [1], ttl: nil, metadata: [:]) }
            }
            #expect(condition.fault?.contains("with mode 777; monitord takes over only a directory of its own user") == true, "\(condition.fault ?? "no fault")")
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        }
    }

    @Test("a write that fails for another reason than the directory (too large) reports nothing")
    func otherFailuresAreNotReported() async throws {
        try await withTemporaryDirectory { root in
            let condition = SourceCondition()
            let source = CacheSource(manager: try CacheManager(directory: root + "/cache", maxDiskBytes: 1024), condition: condition)
            await #expect(throws: StoreError.self) { try await source.set("big", value: [UInt8](repeating: 0, count: 4096), ttl: nil, metadata: [:]) }
            #expect(condition.fault == nil)
        }
    }
}

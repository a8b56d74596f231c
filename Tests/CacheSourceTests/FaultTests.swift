import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: bad input and faults")
struct FaultTests {
    @Test("an empty key and a key over 1024 bytes of UTF-8 are refused with the reason")
    func badKeys() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            #expect(expectStoreError(.invalidKey) { try cache.set("", [1]) } == "cache key is empty")
            #expect(expectStoreError(.invalidKey) { _ = try cache.get("") } == "cache key is empty")
            #expect(expectStoreError(.invalidKey) { _ = try cache.delete("") } == "cache key is empty")
            // 512 two-byte characters: 1024 bytes is fine, one more byte is not.
            let limit = String(repeating: "é", count: 512)
            try cache.set(limit, [1])
            #expect(try cache.get(limit) == [1])
            let message = expectStoreError(.invalidKey) { try cache.set(limit + "x", [1]) }
            #expect(message == "cache key is 1025 bytes of UTF-8; the limit is 1024")
            expectStoreError(.invalidKey) { _ = try cache.getWithMetadata(limit + "x") }
            #expect(cache.stats().totalRequests == 1)
        }
    }

    @Test("a key with slashes, NULs and dots is just a key")
    func oddKeys() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryItems: 0)
            for key in ["../../etc/passwd", "a\u{0}b", ".", "🎧 audio/clip 1.wav"] {
                try cache.set(key, Array(key.utf8))
                #expect(try cache.get(key) == Array(key.utf8))
            }
            #expect(entryFiles(dir).count == 4)
        }
    }

    @Test("bad TTLs, oversized metadata and values larger than the disk tier are refused")
    func badArguments() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxDiskBytes: 10_000)
            #expect(expectStoreError(.invalidArgument) { try cache.set("k", [1], ttl: .zero) } == "ttl must be positive, got 0.0 seconds")
            expectStoreError(.invalidArgument) { try cache.set("k", [1], ttl: .seconds(-5)) }
            let huge = ["note": String(repeating: "x", count: 70_000)]
            #expect(expectStoreError(.invalidArgument) { try cache.set("k", [1], metadata: huge) }?.contains("limit is 65536") == true)
            let message = expectStoreError(.tooLarge) { try cache.set("k", [UInt8](repeating: 0, count: 10_001)) }
            // The entry's file is what must fit: 56 + 1 (key) + 8 (checksum) header bytes and the value.
            #expect(message == "the entry's file would be 10066 bytes (a 10001-byte value plus its key and metadata); the cache's max_disk_size is 10000 bytes")
            expectStoreError(.tooLarge) { try cache.set("k", [UInt8](repeating: 0, count: 9_936)) }
            try cache.set("k", [UInt8](repeating: 0, count: 9_935))
            #expect(cache.stats().sets == 1)
            try cache.delete("k")
            #expect(entryFiles(dir).isEmpty)
        }
    }

    @Test("a cache directory that cannot be created names the path")
    func directoryCannotBeCreated() async throws {
        try await withTemporaryDirectory { dir in
            try Data("a file".utf8).write(to: URL(fileURLWithPath: dir + "/file"))
            let path = dir + "/file/cache"
            #expect(throws: CacheDirectoryError(path: path, reason: "Not a directory")) {
                try CacheManager(directory: path)
            }
            let error = CacheDirectoryError(path: path, reason: "Not a directory")
            #expect(error.description == "cache directory \"\(path)\" cannot be used: Not a directory")
            #expect(throws: CacheDirectoryError(path: dir + "/file", reason: "Not a directory")) {
                try CacheManager(directory: dir + "/file")
            }
        }
    }

    @Test("the directory is created 0700, including missing parents, and entry files 0600")
    func permissions() async throws {
        try await withTemporaryDirectory { dir in
            let path = dir + "/nested/cache"
            let cache = try CacheManager(directory: path)
            try cache.set("k", [1])
            func mode(_ path: String) throws -> Int {
                (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            }
            #expect(try mode(dir + "/nested") == 0o700)
            #expect(try mode(path) == 0o700)
            let entry = entryPath(path, "k")
            #expect(try mode(entry) == 0o600)
            #expect(try mode((entry as NSString).deletingLastPathComponent) == 0o700)
        }
    }

    @Test("a directory gone from under the cache: set throws, disk_errors counts, memory keeps serving")
    func directoryRemovedUnderneath() async throws {
        // Tests run as root here, where chmod 0500 does not stop writes: removing the directory
        // (the cache keeps its descriptor to the deleted one) makes every new file fail for real.
        try await withTemporaryDirectory { dir in
            let path = dir + "/cache"
            let cache = try CacheManager(directory: path)
            try cache.set("kept", [1, 2, 3])
            try FileManager.default.removeItem(atPath: path)
            try Data("in the way".utf8).write(to: URL(fileURLWithPath: path))
            let message = expectStoreError(.unavailable) { try cache.set("new", [4]) }
            #expect(message?.hasPrefix("cache: cannot create directory \(path)/") == true)
            #expect(message?.hasSuffix(": No such file or directory") == true)
            let stats = cache.stats()
            #expect(stats.diskErrors == 1)
            #expect(stats.sets == 1)
            #expect(try cache.get("kept") == [1, 2, 3])
            #expect(try cache.get("new") == nil)
        }
    }

    @Test("a full disk: set throws a clear error, disk_errors counts it, nothing half-written stays", .enabled(if: TmpfsMount.isAvailable))
    func diskFull() async throws {
        let mount = try #require(TmpfsMount(size: "256k"))
        defer { mount.unmount() }
        let cache = try CacheManager(directory: mount.path + "/cache", maxDiskBytes: 0)
        try cache.set("first", [UInt8](repeating: 1, count: 1000))
        var failure: StoreError?
        for i in 0..<100 {
            do { try cache.set("fill-\(i)", [UInt8](repeating: 2, count: 16384)) } catch {
                failure = error
                break
            }
        }
        let error = try #require(failure)
        #expect(error.code == .unavailable)
        #expect(error.message.contains("No space left on device"))
        #expect(error.message.contains(mount.path + "/cache/"))
        let stats = cache.stats()
        #expect(stats.diskErrors == 1)
        #expect(try cache.get("first") == [UInt8](repeating: 1, count: 1000))
        #expect(temporaryFiles(mount.path).isEmpty)
        #expect(stats.diskItems == entryFiles(mount.path + "/cache").count)
    }

    @Test("a read-only file system: start-up refuses it, a set on a running cache fails cleanly", .enabled(if: TmpfsMount.isAvailable))
    func readOnly() async throws {
        let mount = try #require(TmpfsMount(size: "1m"))
        defer { mount.unmount() }
        let path = mount.path + "/cache"
        do {
            let cache = try CacheManager(directory: path)
            try cache.set("before", [1])
            // A running cache maps its generation table writable, so the file system cannot be
            // remounted read-only under it (EBUSY, as with any file open for writing). A read-only
            // file system mounted where the next entry goes fails its write for real instead.
            let hex = EntryDigest(key: "after").hex
            let blocked = path + "/" + hex.prefix(2)
            try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: true)
            #expect(Glibc.mount("tmpfs", blocked, "tmpfs", UInt(MS_RDONLY), "size=64k") == 0)
            defer { umount2(blocked, Int32(MNT_DETACH)) }
            let message = expectStoreError(.unavailable) { try cache.set("after", [2]) }
            #expect(message?.contains("Read-only file system") == true)
            #expect(cache.stats().diskErrors == 1)
            #expect(try cache.get("before") == [1])
        }
        // Once no cache maps its table, the whole file system can go read-only; start-up refuses it.
        #expect(mount.makeReadOnly())
        #expect(throws: CacheDirectoryError(path: path, reason: "not writable: Read-only file system")) {
            try CacheManager(directory: path)
        }
    }

    @Test("a negative size or TTL is refused at construction")
    func badConstruction() async throws {
        try await withTemporaryDirectory { dir in
            #expect(throws: StoreError(.invalidArgument, "max_memory_size must be 0 or more, got -1")) {
                try CacheManager(directory: dir, maxMemoryItems: -1)
            }
            #expect(throws: StoreError.self) { try CacheManager(directory: dir, defaultTTL: .seconds(-1)) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore
import NIOCore
import Testing

@testable import CacheSource

/// Values written a piece at a time and read a chunk at a time: memory held per upload or
/// download is bounded, nothing partial ever becomes an entry, and the checksum still decides.
@Suite struct StreamingTests {
    /// `count` bytes that depend on `seed`, made without holding more than they are.
    static func pattern(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed) &* 7 &+ ($0 >> 9)) }
    }

    @Test func aValueWrittenInPiecesReadsBackWithTheSameTagAsOneSet() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryValueBytes: 1 << 20)
            let value = Self.pattern(300_001)
            let writer = try cache.makeWriter("piecewise", metadata: ["content-type": "audio/wav"])
            var offset = 0
            for piece in [1, 31, 4096, 100_000, 195_873] {
                try value.withUnsafeBytes { try writer.write(UnsafeRawBufferPointer(rebasing: $0[offset..<offset + piece])) }
                offset += piece
            }
            #expect(writer.count == value.count)
            // Nothing is visible before the commit.
            #expect(try cache.get("piecewise") == nil)
            #expect(try writer.commit() == value.count)
            let stored = try #require(try cache.getWithMetadata("piecewise"))
            #expect(stored.tier == "memory")
            #expect(try await stored.collect() == ByteBuffer(bytes: value))
            #expect(stored.metadata == ["content-type": "audio/wav"])
            try cache.set("whole", value)
            #expect(try cache.getWithMetadata("whole")?.entityTag == stored.entityTag)
            try cache.set("other", Self.pattern(300_001, seed: 2))
            #expect(try cache.getWithMetadata("other")?.entityTag != stored.entityTag)
            #expect(cache.stats().sets == 3)
        }
    }

    @Test func aCancelledOrReleasedWriterLeavesNothing() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("kept", [1, 2, 3])
            let cancelled = try cache.makeWriter("kept")
            try cancelled.write(ByteBuffer(bytes: Self.pattern(10_000)))
            #expect(temporaryFiles(dir).count == 1)
            cancelled.cancel()
            #expect(temporaryFiles(dir).isEmpty)
            #expect(try cache.get("kept") == [1, 2, 3])
            #expect(throws: StoreError.self) { try cancelled.commit() }
            do {
                let released = try cache.makeWriter("never")
                try released.write(ByteBuffer(bytes: [9]))
            }
            #expect(temporaryFiles(dir).isEmpty)
            #expect(try cache.get("never") == nil)
            #expect(cache.stats().sets == 1)
        }
    }

    @Test func aStreamedValuePastMaxDiskSizeIsRefusedAsItArrives() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxDiskBytes: 64 << 10)
            let writer = try cache.makeWriter("big")
            try writer.write(ByteBuffer(bytes: Self.pattern(60 << 10)))
            let message = expectStoreError(.tooLarge) { try writer.write(ByteBuffer(bytes: Self.pattern(8 << 10))) }
            #expect(message?.contains("max_disk_size is 65536 bytes") == true, "\(message ?? "")")
            #expect(temporaryFiles(dir).isEmpty)
            #expect(try cache.get("big") == nil)
        }
    }

    @Test func aWriteIsRefusedBeforeItsValueIsReadWhenItCouldNeverBeStored() async throws {
        try await withTemporaryDirectory { dir in
            let store: any KeyValueStore = CacheSource(manager: try CacheManager(directory: dir, maxDiskBytes: 64 << 10))
            #expect(throws: Never.self) { try store.admit("fits", length: 60 << 10, ttl: nil, metadata: [:]) }
            #expect(throws: Never.self) { try store.admit("unknown-length", length: nil, ttl: nil, metadata: [:]) }
            for (key, length, ttl, code) in [
                ("too-big", 64 << 10, nil, StoreError.Code.tooLarge),
                (String(repeating: "k", count: 1025), 10, nil, .invalidKey),
                ("", 10, nil, .invalidKey),
                ("negative-ttl", 10, Duration.seconds(-1), .invalidArgument),
            ] as [(String, Int, Duration?, StoreError.Code)] {
                #expect(throws: StoreError.self, "\(key.prefix(20)) \(length)") {
                    do { try store.admit(key, length: length, ttl: ttl, metadata: [:]) } catch let error as StoreError {
                        #expect(error.code == code, "\(error)")
                        throw error
                    }
                }
            }
            #expect(try CacheManager(directory: dir).stats().sets == 0)
            #expect(temporaryFiles(dir).isEmpty)
        }
    }

    @Test func aValueOverTheMemoryLimitStreamsFromItsFileAndReadsAnyRange() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir, maxMemoryValueBytes: 64 << 10)
            let value = Self.pattern(3 << 20)
            try cache.set("movie", value, metadata: ["content-type": "video/mp4"])
            let stored = try #require(try cache.getWithMetadata("movie"))
            #expect(stored.tier == "disk")
            guard case .stream(let stream) = stored.body else {
                Issue.record("a value over max_memory_value_size came as a buffer")
                return
            }
            #expect(stream.length == value.count)
            let middle = try await stream.read(from: 1_000_000, maxLength: 70_000)
            #expect(Array(middle.readableBytesView) == Array(value[1_000_000..<1_070_000]))
            let tail = try await stream.read(from: value.count - 10, maxLength: 1000)
            #expect(Array(tail.readableBytesView) == Array(value.suffix(10)))
            #expect(try await stream.read(from: value.count, maxLength: 10).readableBytes == 0)
            await #expect(throws: StoreError.self) { _ = try await stream.read(from: value.count + 1, maxLength: 10) }
            // The open file keeps the version looked up, whatever happens to the entry.
            try cache.set("movie", [0])
            #expect(try cache.delete("movie"))
            let again = try await stream.read(from: 0, maxLength: 16)
            #expect(Array(again.readableBytesView) == Array(value.prefix(16)))
            #expect(cache.stats().memoryItems == 0)
            #expect(cache.stats().diskHits == 1)
        }
    }

    @Test func aDamagedLargeValueIsNeverHandedOut() async throws {
        try await withTemporaryDirectory { dir in
            let writer = try CacheManager(directory: dir, maxMemoryValueBytes: 64 << 10)
            let value = Self.pattern(2 << 20)
            try writer.set("victim", value)
            // Flip one byte near the end of the value, where a streamed reader would reach it last.
            let path = entryPath(dir, "victim")
            let fd = open(path, O_RDWR)
            #expect(fd >= 0)
            var info = stat()
            fstat(fd, &info)
            var byte: UInt8 = 0
            pread(fd, &byte, 1, off_t(info.st_size - 5))
            byte ^= 0x10
            pwrite(fd, &byte, 1, off_t(info.st_size - 5))
            close(fd)
            // Another manager (another process, or this one after a restart) has not checked the file.
            let reader = try CacheManager(directory: dir, maxMemoryValueBytes: 64 << 10)
            #expect(try reader.getWithMetadata("victim") == nil)
            #expect(reader.stats().corruptEntries == 1)
            #expect(access(path, F_OK) != 0)
        }
    }

    @Test func anUpgradedDirectoryKeepsItsVersionOneEntries() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("old", [0])
            let path = entryPath(dir, "old")
            let file = VersionOneFile.encode(key: "old", metadata: ["lang": "fr"], created: CacheManager.systemTime(), expires: 0, value: Array("bonjour".utf8))
            let fd = open(path, O_WRONLY | O_TRUNC)
            _ = file.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            close(fd)
            let reopened = try CacheManager(directory: dir)
            let stored = try #require(try reopened.getWithMetadata("old"))
            #expect(try await stored.collect() == ByteBuffer(bytes: Array("bonjour".utf8)))
            #expect(stored.metadata == ["lang": "fr"])
            #expect(stored.entityTag?.count == 16)
        }
    }

    @Test func theSourceStreamsAnUploadAndKeepsNothingOfOneThatFails() async throws {
        try await withTemporaryDirectory { dir in
            let source = CacheSource(manager: try CacheManager(directory: dir, maxMemoryValueBytes: 1 << 20))
            let value = Self.pattern(5 << 20)
            let chunks = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                for start in stride(from: 0, to: value.count, by: 100_000) {
                    continuation.yield(ByteBuffer(bytes: value[start..<min(value.count, start + 100_000)]))
                }
                continuation.finish()
            }
            #expect(try await source.set("upload", chunks: chunks, limit: 8 << 20, ttl: nil, metadata: [:]) == value.count)
            let stored = try #require(try await source.get("upload"))
            #expect(stored.tier == "disk")
            #expect(try await stored.collect() == ByteBuffer(bytes: value))
            // The file region the HTTP sink hands to sendfile: a descriptor of its own, at the value.
            guard case .stream(let stream) = stored.body, let region = stream.fileRegion() else {
                Issue.record("a value left in its file offers no file region for sendfile")
                return
            }
            var head = [UInt8](repeating: 0, count: 4096)
            #expect(pread(region.descriptor, &head, head.count, off_t(region.offset)) == head.count)
            #expect(head == Array(value.prefix(4096)))
            #expect(close(region.descriptor) == 0)
            #expect(try await stream.read(from: 0, maxLength: 8) == ByteBuffer(bytes: value.prefix(8)))

            struct ClientWentAway: Error {}
            let broken = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                continuation.yield(ByteBuffer(bytes: value.prefix(600_000)))
                continuation.finish(throwing: ClientWentAway())
            }
            await #expect(throws: ClientWentAway.self) { _ = try await source.set("upload", chunks: broken, limit: 8 << 20, ttl: nil, metadata: [:]) }
            let tooLong = AsyncThrowingStream<ByteBuffer, any Error> { continuation in
                for _ in 0..<10 { continuation.yield(ByteBuffer(bytes: value.prefix(1 << 20))) }
                continuation.finish()
            }
            await #expect(throws: StoreError.self) { _ = try await source.set("upload", chunks: tooLong, limit: 8 << 20, ttl: nil, metadata: [:]) }
            #expect(temporaryFiles(dir).isEmpty)
            // The entry is still the first upload.
            #expect(try await source.get("upload")?.collect() == ByteBuffer(bytes: value))
            #expect(source.manager.stats().sets == 1)
        }
    }

    @Test func aSymbolicLinkInPlaceOfAnEntryIsNeverFollowedAndIsRemoved() async throws {
        try await withTemporaryDirectory { dir in
            let cache = try CacheManager(directory: dir)
            try cache.set("planted", [1])
            let path = entryPath(dir, "planted")
            unlink(path)
            #expect(symlink("/etc/hostname", path) == 0)
            let reopened = try CacheManager(directory: dir)
            #expect(try reopened.getWithMetadata("planted") == nil)
            #expect(reopened.stats().corruptEntries == 1)
            var info = stat()
            #expect(lstat(path, &info) != 0, "the link is still there")
        }
    }
}

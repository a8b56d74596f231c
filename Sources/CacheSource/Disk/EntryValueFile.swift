#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore
import NIOCore

/// The value of one entry left in its file: what a lookup hands out for a value too large for
/// memory, read a chunk at a time. It holds the file open, so it reads the version that was
/// current at the lookup even after the entry is replaced or deleted; the file (already checked
/// against its checksum by the lookup) is closed when the last reference goes.
///
/// ``readNow(from:maxLength:)`` blocks on the file: call it off Swift's cooperative pool. The
/// ``CacheSource`` hands out a ``ValueStream`` that does so on its I/O threads.
public final class EntryValueFile: ValueStream {
    private let fd: Int32
    /// Where the value starts in the file.
    private let offset: Int64
    /// The value's length in bytes.
    public let length: Int
    /// The file, for messages.
    let path: String

    init(fd: Int32, offset: Int64, length: Int, path: String) {
        self.fd = fd
        self.offset = offset
        self.length = length
        self.path = path
    }

    deinit { close(fd) }

    /// Up to `maxLength` bytes from `start` (fewer only at the end), read now on this thread.
    ///
    /// - Throws: `StoreError(.invalidArgument)` for a start outside the value,
    ///   `StoreError(.unavailable)` when the file cannot be read.
    public func readNow(from start: Int, maxLength: Int) throws(StoreError) -> ByteBuffer {
        guard start >= 0, start <= length, maxLength >= 0 else {
            throw StoreError(.invalidArgument, "read of \(maxLength) bytes from \(start) is outside a \(length)-byte value")
        }
        let count = min(maxLength, length - start)
        var buffer = ByteBufferAllocator().buffer(capacity: count)
        let code = DiskTier.read(fd, at: offset + Int64(start), count: count, into: &buffer)
        guard code == 0 else { throw StoreError(.unavailable, "cache: \(DiskFailure("read", path, code: code))") }
        return buffer
    }

    /// The value's place in its file, on a descriptor of its own (`dup`): the lookup that made
    /// this file checked its bytes, and the cache never writes an entry's file in place.
    public func fileRegion() -> ValueFileRegion? {
        let copy = dup(fd)
        return copy < 0 ? nil : ValueFileRegion(descriptor: copy, offset: Int(offset))
    }

    /// ``readNow(from:maxLength:)``, on the caller's thread.
    public func read(from start: Int, maxLength: Int) async throws -> ByteBuffer {
        try readNow(from: start, maxLength: maxLength)
    }
}

extension StoredValue {
    /// A copy of the whole value: a memory hit's bytes, or a value left in its file read whole
    /// on this thread (file work: off the cooperative pool). Empty when the file can no longer
    /// be read. For in-process callers of ``CacheManager``; the HTTP sink streams instead.
    public var bytes: [UInt8] {
        switch body {
        case .buffer(let buffer):
            return Array(buffer.readableBytesView)
        case .stream(let stream):
            let file = (stream as? EntryValueFile) ?? (stream as? PooledValueFile)?.file
            guard let file, let whole = try? file.readNow(from: 0, maxLength: file.length) else { return [] }
            return Array(whole.readableBytesView)
        }
    }
}

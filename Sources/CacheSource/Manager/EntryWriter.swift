#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore
import NIOCore
import Synchronization

/// One entry being written a piece at a time (``CacheManager/makeWriter(_:ttl:metadata:)``):
/// the value goes to a temporary file beside the entry's as it arrives, its checksum computed on
/// the way, and becomes the entry only at ``commit()``.
///
/// Calls are synchronous file work on the caller's thread and must not overlap (one writer, one
/// upload); the ``CacheSource`` makes them on its I/O threads. A writer that fails, is cancelled
/// or is released before its commit removes its temporary file, and a process killed while
/// writing leaves one the next start-up scan removes: in no case does a partial value become
/// an entry.
public final class EntryWriter: Sendable {
    private let manager: CacheManager
    private let plan: WritePlan

    private struct Progress {
        var temporary: DiskTier.Temporary?
        var hasher = Checksum64.Hasher()
        var count = 0
    }
    private let progress: Mutex<Progress>

    init(manager: CacheManager, plan: WritePlan, temporary: DiskTier.Temporary) {
        self.manager = manager
        self.plan = plan
        self.progress = Mutex(Progress(temporary: temporary))
    }

    deinit { cancel() }

    /// Bytes written so far.
    public var count: Int { progress.withLock { $0.count } }

    /// Appends `bytes` to the value.
    ///
    /// - Throws: `StoreError(.tooLarge)` once the value would pass the cache's limits (the
    ///   largest value, or `max_disk_size` less the entry's header); `.unavailable` when the file
    ///   cannot be written (disk full: counted in `disk_errors`); `.invalidArgument` after a
    ///   commit or cancel. Any error cancels the writer.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        try progress.withLock { progress throws(StoreError) in
            guard let temporary = progress.temporary else {
                throw StoreError(.invalidArgument, "the writer of \"\(plan.key)\" is already committed or cancelled")
            }
            guard progress.count + bytes.count <= plan.maxValueLength else {
                Self.drop(&progress, manager.disk)
                try plan.admit(length: progress.count + bytes.count)
                throw StoreError(.tooLarge, "the value is over \(plan.maxValueLength) bytes")
            }
            let code = DiskTier.write(temporary.fd, bytes, at: Int64(plan.headerLength + progress.count))
            guard code == 0 else {
                Self.drop(&progress, manager.disk)
                manager.state.withLock { $0.counters.diskErrors += 1 }
                throw StoreError(.unavailable, "cache: \(DiskFailure("write", manager.disk.displayPath(plan.digest), code: code))")
            }
            progress.hasher.update(bytes)
            progress.count += bytes.count
        }
    }

    /// Appends the readable bytes of `buffer`.
    public func write(_ buffer: ByteBuffer) throws(StoreError) {
        try buffer.withUnsafeReadableBytes { bytes throws(StoreError) in try write(bytes) }
    }

    /// Makes the value written so far the entry (replacing any before it) and returns its
    /// length. A value up to the memory tier's ``CacheManager/maxMemoryValueBytes`` is read back
    /// into memory as a ``CacheManager/set(_:_:ttl:metadata:)`` would keep it.
    ///
    /// - Throws: `StoreError(.unavailable)` when the file cannot be finished or renamed into
    ///   place (counted in `disk_errors`; nothing changes), `.invalidArgument` after a commit or cancel.
    @discardableResult
    public func commit() throws(StoreError) -> Int {
        let (temporary, sum, count) = try progress.withLock { progress throws(StoreError) -> (DiskTier.Temporary, UInt64, Int) in
            guard let temporary = progress.temporary else {
                throw StoreError(.invalidArgument, "the writer of \"\(plan.key)\" is already committed or cancelled")
            }
            progress.temporary = nil
            return (temporary, progress.hasher.finish(), progress.count)
        }
        let disk = manager.disk
        let created = manager.now()
        let expires = plan.expires(created: created)
        let header = EntryFile.header(key: plan.key, metadata: plan.metadata, created: created, expires: expires, valueLength: count, valueChecksum: sum)
        var code = header.withUnsafeBytes { DiskTier.write(temporary.fd, $0, at: 0) }
        var value = ByteBuffer()
        let inMemory = count <= manager.maxMemoryValueBytes && manager.maxMemoryItems > 0 && count <= manager.maxMemoryBytes
        if code == 0 && inMemory {
            value.reserveCapacity(count)
            code = DiskTier.read(temporary.fd, at: Int64(plan.headerLength), count: count, into: &value)
        }
        guard code == 0 else {
            disk.abandon(temporary)
            manager.state.withLock { $0.counters.diskErrors += 1 }
            throw StoreError(.unavailable, "cache: \(DiskFailure("write", disk.displayPath(plan.digest), code: code))")
        }
        let entry = plan.entry(value: value, tag: sum, created: created, expires: expires)
        try manager.install(entry, digest: plan.digest, inMemory: inMemory) { disk.commit(temporary, plan.digest) }
        return count
    }

    /// Abandons the value: the temporary file is removed and nothing changes. Does nothing after
    /// a commit or a cancel.
    public func cancel() {
        progress.withLock { Self.drop(&$0, manager.disk) }
    }

    private static func drop(_ progress: inout Progress, _ disk: DiskTier) {
        guard let temporary = progress.temporary else { return }
        progress.temporary = nil
        disk.abandon(temporary)
    }
}

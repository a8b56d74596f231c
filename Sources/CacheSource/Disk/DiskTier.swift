#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import Synchronization

/// The files of the disk tier: one file per entry at `ab/cd/<sha256 hex>` under the cache
/// directory, written to a temporary name beside it and renamed into place, so a reader sees the
/// old file or the new one and never half a file.
///
/// Plain POSIX calls relative to an open directory descriptor: no Foundation on this path, and
/// the directory stays the same one even if the process changes its working directory.
final class DiskTier: Sendable {
    /// The directory as configured (used in messages).
    let path: String
    let root: Int32
    let pid = getpid()
    /// This manager's registration in `.writers`; its id names every temporary file it makes.
    let writer: WriterLock
    private let sequence = Atomic<UInt64>(0)
    /// Test hooks; empty in production.
    let hooks = Mutex(DiskHooks())

    /// Creates the directory (mode 0700) if needed, opens it, proves it is writable and
    /// registers this manager as a writer.
    init(path: String) throws(CacheDirectoryError) {
        self.path = path
        guard !path.isEmpty else { throw CacheDirectoryError(path: path, reason: "the path is empty") }
        if let failure = Self.makeDirectories(path) {
            throw CacheDirectoryError(path: path, reason: failure.reason)
        }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CacheDirectoryError(path: path, reason: DiskFailure("open", path).reason) }
        let probe = Array(".probe.\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp".utf8CString)
        let probeFd = openat(fd, probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard probeFd >= 0 else {
            let reason = DiskFailure("write", path).reason
            close(fd)
            throw CacheDirectoryError(path: path, reason: "not writable: \(reason)")
        }
        close(probeFd)
        unlinkat(fd, probe, 0)
        do {
            writer = try WriterLock(root: fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        root = fd
    }

    deinit { close(root) }

    /// `ab/cd/<hex>` plus a terminating NUL.
    func relativePath(_ digest: EntryDigest, extraCapacity: Int = 0) -> [CChar] {
        var rel: [CChar] = []
        rel.reserveCapacity(71 + extraCapacity)
        digest.appendRelativePath(to: &rel)
        return rel
    }

    /// The full path of an entry, for messages.
    func displayPath(_ digest: EntryDigest) -> String {
        var rel = relativePath(digest)
        rel.append(0)
        return path + "/" + Self.string(rel)
    }

    /// `.<writer id>.<n>.tmp`, NUL-terminated: a name no other manager, here or elsewhere, makes.
    func temporarySuffix() -> [CChar] {
        Array(".\(writer.id).\(sequence.add(1, ordering: .relaxed).newValue).tmp".utf8CString)
    }

    /// Writes `header` + `value` to a temporary file and renames it over the entry's file.
    func write(_ digest: EntryDigest, header: [UInt8], value: UnsafeRawBufferPointer) -> Result<FileStamp, DiskFailure> {
        let temporary: Temporary
        switch createTemporary(digest) {
        case .failure(let failure): return .failure(failure)
        case .success(let created): temporary = created
        }
        let written = Self.writeAll(temporary.fd, header, value)
        if written != 0 {
            let failure = DiskFailure("write", displayPath(digest), code: written)
            abandon(temporary)
            return .failure(failure)
        }
        return commit(temporary, digest)
    }

    /// A temporary file being written, beside the entry file it will replace.
    struct Temporary {
        var fd: Int32
        /// Its name and the entry's, relative to ``root``, NUL-terminated.
        var name: [CChar]
        var target: [CChar]
    }

    /// Creates a temporary file for `digest`'s entry (and its `ab/cd` directory if needed).
    func createTemporary(_ digest: EntryDigest) -> Result<Temporary, DiskFailure> {
        var target = relativePath(digest, extraCapacity: 32)
        var temporary = target
        temporary.append(contentsOf: temporarySuffix())
        target.append(0)
        var fd = openat(root, temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == ENOENT {
            // Read and write: a streamed value small enough for memory is read back before the rename.
        // First entry in this `ab/cd` directory: create it and try once more.
            if let failure = makeEntryDirectory(digest) { return .failure(failure) }
            fd = openat(root, temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { return .failure(DiskFailure("create a file in", displayDirectory(digest))) }
        return .success(Temporary(fd: fd, name: temporary, target: target))
    }

    /// Closes and removes a temporary file that will not become an entry.
    func abandon(_ temporary: Temporary) {
        close(temporary.fd)
        unlinkat(root, temporary.name, 0)
    }

    /// Finishes a fully written temporary file and renames it over the entry's file; on failure
    /// it is removed.
    func commit(_ temporary: Temporary, _ digest: EntryDigest) -> Result<FileStamp, DiskFailure> {
        var info = stat()
        // The precise time, not the kernel's tick: it makes the file's stamp one no other write repeats.
        if Self.stampTime(temporary.fd) != 0 || fstat(temporary.fd, &info) != 0 {
            let failure = DiskFailure("write", displayPath(digest))
            abandon(temporary)
            return .failure(failure)
        }
        if close(temporary.fd) != 0 {
            let failure = DiskFailure("write", displayPath(digest))
            unlinkat(root, temporary.name, 0)
            return .failure(failure)
        }
        hooks.withLock { $0.beforeRename }?(digest)
        guard renameat(root, temporary.name, root, temporary.target) == 0 else {
            let failure = DiskFailure("rename into", displayPath(digest))
            unlinkat(root, temporary.name, 0)
            return .failure(failure)
        }
        return .success(FileStamp(info))
    }

    /// Writes all of `bytes` at `offset`; returns 0 or the errno.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Int32 {
        guard let base = bytes.baseAddress else { return 0 }
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, base + done, bytes.count - done, off_t(offset) + off_t(done))
            if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return n == 0 ? EIO : errno }
        }
        return 0
    }

    /// What opening an entry's file found.
    enum OpenOutcome {
        case missing
        case failed(DiskFailure)
        /// An open descriptor (the caller closes it) on a regular file, and the file's identity.
        case file(Int32, FileStamp)
        /// Not a file this cache wrote: a FIFO, a device, a directory.
        case notAFile(FileStamp)
    }

    /// Opens an entry's file for reading.
    func openEntry(_ digest: EntryDigest) -> OpenOutcome {
        hooks.withLock { $0.beforeRead }?(digest)
        var rel = relativePath(digest)
        rel.append(0)
        // O_NONBLOCK: a FIFO in place of an entry file would block this thread (and its key's
        // stripe) for good; it has no effect on a regular file.
        // O_NOFOLLOW: a symbolic link planted in place of an entry is never followed (the daemon
        // may run as root); it is no entry, and is removed as damage.
        let fd = openat(root, rel, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW)
        var info = stat()
        guard fd >= 0 else {
            if errno == ELOOP, fstatat(root, rel, &info, AT_SYMLINK_NOFOLLOW) == 0 { return .notAFile(FileStamp(info)) }
            return errno == ENOENT || errno == ENOTDIR ? .missing : .failed(DiskFailure("open", displayPath(digest)))
        }
        guard fstat(fd, &info) == 0 else {
            let failure = DiskFailure("stat", displayPath(digest))
            close(fd)
            return .failed(failure)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return .notAFile(FileStamp(info))
        }
        return .file(fd, FileStamp(info))
    }

    /// Appends `count` bytes of `fd` from `offset` to `buffer`; returns 0, or the errno (`EIO`
    /// when the file ends first).
    static func read(_ fd: Int32, at offset: Int64, count: Int, into buffer: inout ByteBuffer) -> Int32 {
        var failure: Int32 = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { space in
            var done = 0
            while done < count {
                let n = pread(fd, space.baseAddress.map { $0 + done }, count - done, off_t(offset) + off_t(done))
                if n > 0 { done += n } else if n == 0 { failure = EIO; break } else if errno != EINTR { failure = errno; break }
            }
            return done
        }
        return failure
    }

    /// Removes an entry's file, whatever version it is (a `delete`). Returns 0, or the errno.
    @discardableResult
    func remove(_ digest: EntryDigest) -> Int32 {
        var rel = relativePath(digest)
        rel.append(0)
        return unlinkat(root, rel, 0) == 0 ? 0 : errno
    }

    private func displayDirectory(_ digest: EntryDigest) -> String {
        var rel: [CChar] = []
        digest.appendDirectory(to: &rel)
        rel.append(0)
        return path + "/" + Self.string(rel)
    }

    private func makeEntryDirectory(_ digest: EntryDigest) -> DiskFailure? {
        var rel: [CChar] = []
        digest.appendDirectory(to: &rel)
        var outer = Array(rel[0..<2])
        outer.append(0)
        rel.append(0)
        for dir in [outer, rel] where mkdirat(root, dir, 0o700) != 0 && errno != EEXIST {
            return DiskFailure("create directory", path + "/" + Self.string(dir))
        }
        return nil
    }

    /// Whether `fd` is a regular file: entry, lock and table files are nothing else.
    static func isRegularFile(_ fd: Int32) -> Bool {
        var info = stat()
        return fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The text of a NUL-terminated path.
    static func string(_ path: [CChar]) -> String {
        String(decoding: path.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Sets the file's times to now, from the precise clock; returns 0 or -1 (errno set).
    private static func stampTime(_ fd: Int32) -> Int32 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var times = (now, now)
        return withUnsafePointer(to: &times) { $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(fd, $0) } }
    }

    /// Writes both buffers fully; returns 0 or the errno.
    private static func writeAll(_ fd: Int32, _ header: [UInt8], _ value: UnsafeRawBufferPointer) -> Int32 {
        header.withUnsafeBytes { head in
            let total = head.count + value.count
            var vectors = [
                iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress), iov_len: head.count),
                iovec(iov_base: UnsafeMutableRawPointer(mutating: value.baseAddress), iov_len: value.count),
            ]
            var done = 0
            // One writev in the common case; loop only for a short write (large values, signals).
            while done < total {
                var skip = done
                var index = 0
                while index < 2 && skip >= vectors[index].iov_len { skip -= vectors[index].iov_len; index += 1 }
                let n: Int = vectors.withUnsafeMutableBufferPointer { vs in
                    guard let base = vs.baseAddress else { return -1 }
                    let first = base + index
                    let saved = first.pointee
                    first.pointee.iov_base = saved.iov_base.map { $0 + skip }
                    first.pointee.iov_len = saved.iov_len - skip
                    defer { first.pointee = saved }
                    return writev(fd, first, Int32(2 - index))
                }
                if n > 0 { done += n } else if n < 0 && errno == EINTR { continue } else { return n == 0 ? EIO : errno }
            }
            return 0
        }
    }

    /// `mkdir -p` with mode 0700 for the directories this call creates.
    static func makeDirectories(_ path: String) -> DiskFailure? {
        var info = stat()
        if stat(path, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : DiskFailure("use", path, code: ENOTDIR)
        }
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            prefix += prefix.isEmpty || prefix.hasSuffix("/") ? String(component) : "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return DiskFailure("create", prefix) }
        }
        return nil
    }
}


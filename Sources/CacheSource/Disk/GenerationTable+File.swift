#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension GenerationTable {
    /// The table's file, mapped, or why it could not be.
    enum Mapping {
        /// `notice` says the file was damaged or of another version and has been recreated.
        case mapped(UnsafeMutableRawPointer, notice: String?)
        case unusable(DiskFailure)
    }

    /// Opens (creating) the file and maps it shared. Whoever comes first initialises it, under an
    /// exclusive `flock`, so two processes starting together map one initialised file. A file
    /// that is too short, not a table, or of another version or size is rewritten in place (it
    /// is never shrunk or replaced, so a process that still maps it keeps valid memory, and every
    /// copy recorded against the old contents fails its next check).
    static func mapShared(directory root: Int32, display: String, length: Int) -> Mapping {
        let fd = openat(root, fileName, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return .unusable(DiskFailure("open", display)) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { return .unusable(DiskFailure("lock", display)) }
        }
        defer { flock(fd, LOCK_UN) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .unusable(DiskFailure("stat", display)) }
        let size = Int(info.st_size)
        var notice: String?
        if let problem = problem(fd: fd, size: size) {
            if let code = initialise(fd: fd, length: length) {
                // Give back the space (a full disk): nobody can map a file this short.
                if size < length { ftruncate(fd, off_t(size)) }
                return .unusable(DiskFailure("write", display, code: code))
            }
            // An empty file is one this call (or a process starting alongside) just created.
            if size > 0 { notice = "\(display) was \(problem); it has been recreated (memory copies other processes hold are read again from their files once)" }
        }
        let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)
        guard let pointer, pointer != MAP_FAILED else { return .unusable(DiskFailure("map", display)) }
        return .mapped(pointer, notice: notice)
    }

    /// What is wrong with the file's header, or `nil` when it is a table this code can use.
    private static func problem(fd: Int32, size: Int) -> String? {
        guard size >= fileLength else { return size == 0 ? "empty" : "too short (\(size) bytes)" }
        var header = [UInt8](repeating: 0, count: headerLength)
        let got = header.withUnsafeMutableBytes { pread(fd, $0.baseAddress, headerLength, 0) }
        guard got == headerLength else { return "unreadable" }
        guard (header[0], header[1], header[2], header[3]) == magic else { return "not a generation table (wrong magic)" }
        let version = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }
        guard version == Self.version else { return "of version \(version) (this monitord uses \(Self.version))" }
        let slots = header.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }
        guard slots == UInt64(slotCount) else { return "made for \(slots) slots (this monitord uses \(slotCount))" }
        return nil
    }

    /// Writes a fresh table: counters and epoch start at one random value, so no copy recorded
    /// against a previous table can match by chance. The header goes last: a writer that dies
    /// half-way leaves a file the next opener rewrites. Every byte is written (not a sparse
    /// `ftruncate`), so the mapping can never fault for want of disk space later. Returns the
    /// errno of a failure.
    private static func initialise(fd: Int32, length: Int) -> Int32? {
        let start = UInt64.random(in: 1...(UInt64.max >> 1))
        let chunk = [UInt64](repeating: start, count: 8192)
        var offset = headerLength
        while offset < length {
            let count = min(chunk.count * 8, length - offset)
            let written = chunk.withUnsafeBytes { pwrite(fd, $0.baseAddress, count, off_t(offset)) }
            guard written == count else { return written < 0 ? errno : EIO }
            offset += count
        }
        var header = [UInt8](repeating: 0, count: headerLength)
        (header[0], header[1], header[2], header[3]) = magic
        header.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: Self.version, toByteOffset: 4, as: UInt32.self)
            raw.storeBytes(of: UInt64(slotCount), toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: start, toByteOffset: epochOffset, as: UInt64.self)
        }
        let written = header.withUnsafeBytes { pwrite(fd, $0.baseAddress, headerLength, 0) }
        guard written == headerLength else { return written < 0 ? errno : EIO }
        return nil
    }
}

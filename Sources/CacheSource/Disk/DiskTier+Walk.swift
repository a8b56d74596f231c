#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiskTier {
    /// A file met while walking the cache directory.
    struct WalkedFile {
        /// The directory holding the file (valid only during the visit).
        var directory: Int32
        /// The file name, NUL-terminated.
        var name: UnsafePointer<CChar>
        var nameLength: Int
        /// The digest when the name is an entry file in its own `ab/cd` directory.
        var digest: EntryDigest?
        var isTemporary: Bool
    }

    /// Visits every entry and temporary file: `ab/cd/<hex>` entries, temporary files beside them
    /// and the start-up probe at the top. Anything else in the directory is left alone.
    ///
    /// With `shards` > 1, only the `ab` directories with `ab % shards == shard` are visited (and
    /// top-level files in shard 0), so several threads can share one walk.
    func walk(shard: Int = 0, of shards: Int = 1, _ visit: (WalkedFile) -> Void) {
        let size = DirectoryLister.bufferSize
        withUnsafeTemporaryAllocation(byteCount: 3 * size, alignment: 8) { buffers in
            let (topBuffer, middleBuffer, leafBuffer) = (
                UnsafeMutableRawBufferPointer(rebasing: buffers[0..<size]),
                UnsafeMutableRawBufferPointer(rebasing: buffers[size..<2 * size]),
                UnsafeMutableRawBufferPointer(rebasing: buffers[2 * size..<3 * size]))
            // A fresh open of ".", not dup(): a dup would share (and leave at the end) the read offset.
            let top = openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            DirectoryLister.forEachName(in: top, buffer: topBuffer) { top, name, length, type in
                if length == 2, let outer = Self.hexByte(name), type == DT_DIR || type == DT_UNKNOWN {
                    guard Int(outer) % shards == shard else { return }
                    let middle = openat(top, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    DirectoryLister.forEachName(in: middle, buffer: middleBuffer) { middle, name, length, type in
                        guard length == 2, let inner = Self.hexByte(name), type == DT_DIR || type == DT_UNKNOWN else { return }
                        let leaf = openat(middle, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                        DirectoryLister.forEachName(in: leaf, buffer: leafBuffer) { leaf, name, length, _ in
                            var file = WalkedFile(directory: leaf, name: name, nameLength: length, digest: nil, isTemporary: Self.isTemporaryName(name, length))
                            if length == 64 {
                                let digest = name.withMemoryRebound(to: UInt8.self, capacity: 64) { EntryDigest(hex: UnsafeBufferPointer(start: $0, count: 64)) }
                                if let digest, digest.directoryBytes == (outer, inner) { file.digest = digest }
                            }
                            if file.digest != nil || file.isTemporary { visit(file) }
                        }
                    }
                } else if shard == 0, Self.isTemporaryName(name, length) {
                    visit(WalkedFile(directory: top, name: name, nameLength: length, digest: nil, isTemporary: true))
                }
            }
        }
    }

    /// Whether a temporary file is left over. A name made by this version carries its writer's
    /// id (`<name>.<id>.<n>.tmp`): the file is left over when that writer's lock is free or gone
    /// (``WriterLock``). A live writer's file (another process, or another manager in this one)
    /// is kept. Older versions named files by process id: such a file is left over when that
    /// process is gone, when it is this process (whose names carry an id, so an earlier run
    /// with the same PID left it), or when it is over an hour old.
    func isAbandoned(_ file: WalkedFile, now: Double) -> Bool {
        let name = String(cString: file.name)
        let parts = name.split(separator: ".")
        if parts.count >= 4 {
            let writer = parts[parts.count - 3]
            if WriterLock.isID(writer) { return !self.writer.isAlive(writer) }
            if let process = Int32(writer), process > 0 {
                if process == pid || (kill(process, 0) != 0 && errno == ESRCH) { return true }
            }
        }
        var info = stat()
        guard fstatat(file.directory, file.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        return now - FileStamp(info).modified > 3600
    }

    /// Reads the fixed header of a walked or known file: `nil` stamp when it is gone.
    func probe(directory: Int32, name: UnsafePointer<CChar>) -> (stamp: FileStamp?, fixed: EntryFile.Fixed?) {
        // O_NONBLOCK: a FIFO among the entries must not stop the sweep; it is no entry (nil header).
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return (nil, nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return (nil, nil) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return (FileStamp(info), nil) }
        var buffer: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0)
        let fixed = withUnsafeMutableBytes(of: &buffer) { raw -> EntryFile.Fixed? in
            let n = pread(fd, raw.baseAddress, EntryFile.fixedLength, 0)
            guard n == EntryFile.fixedLength else { return nil }
            return EntryFile.fixed(UnsafeRawBufferPointer(raw))
        }
        return (FileStamp(info), fixed)
    }

    /// ``probe(directory:name:)`` for an entry by digest.
    func probe(_ digest: EntryDigest) -> (stamp: FileStamp?, fixed: EntryFile.Fixed?) {
        var rel = relativePath(digest)
        rel.append(0)
        return rel.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return (nil, nil) }
            return probe(directory: root, name: base)
        }
    }

    private static func isTemporaryName(_ name: UnsafePointer<CChar>, _ length: Int) -> Bool {
        length > 4 && strcmp(name + length - 4, ".tmp") == 0
    }

    private static func hexByte(_ name: UnsafePointer<CChar>) -> UInt8? {
        func nibble(_ c: CChar) -> UInt8? {
            switch UInt8(bitPattern: c) {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(bitPattern: c) - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(bitPattern: c) - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        guard let high = nibble(name[0]), let low = nibble(name[1]) else { return nil }
        return high << 4 | low
    }
}

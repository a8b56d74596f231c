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
    func walk(_ visit: (WalkedFile) -> Void) {
        // A fresh open of ".", not dup(): a dup would share (and leave at the end) the read offset.
        Self.forEachName(in: openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) { top, name, length, type in
            if length == 2, let outer = Self.hexByte(name), type == DT_DIR || type == DT_UNKNOWN {
                Self.forEachName(in: openat(top, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) { middle, name, length, type in
                    guard length == 2, let inner = Self.hexByte(name), type == DT_DIR || type == DT_UNKNOWN else { return }
                    Self.forEachName(in: openat(middle, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) { leaf, name, length, _ in
                        var file = WalkedFile(directory: leaf, name: name, nameLength: length, digest: nil, isTemporary: Self.isTemporaryName(name, length))
                        if length == 64 {
                            let digest = name.withMemoryRebound(to: UInt8.self, capacity: 64) { EntryDigest(hex: UnsafeBufferPointer(start: $0, count: 64)) }
                            if let digest, digest.directoryBytes == (outer, inner) { file.digest = digest }
                        }
                        if file.digest != nil || file.isTemporary { visit(file) }
                    }
                }
            } else if Self.isTemporaryName(name, length) {
                visit(WalkedFile(directory: top, name: name, nameLength: length, digest: nil, isTemporary: true))
            }
        }
    }

    /// Whether a temporary file is left over: its writer process is gone, or it is over an hour
    /// old. A live writer's file (another process, or another manager in this one) is kept.
    func isAbandoned(_ file: WalkedFile, now: Double) -> Bool {
        let name = String(cString: file.name)
        let parts = name.split(separator: ".")
        if parts.count >= 4, let writer = Int32(parts[parts.count - 3]), writer != pid, writer > 0 {
            if kill(writer, 0) != 0 && errno == ESRCH { return true }
        }
        var info = stat()
        guard fstatat(file.directory, file.name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return false }
        return now - FileStamp(info).modified > 3600
    }

    /// Reads the fixed header of a walked or known file: `nil` stamp when it is gone.
    func probe(directory: Int32, name: UnsafePointer<CChar>) -> (stamp: FileStamp?, fixed: EntryFile.Fixed?) {
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return (nil, nil) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return (nil, nil) }
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

    /// Calls `body` for each name in the directory `fd` (which it takes over and closes).
    private static func forEachName(in fd: Int32, _ body: (Int32, UnsafePointer<CChar>, Int, UInt8) -> Void) {
        guard fd >= 0 else { return }
        guard let dir = fdopendir(fd) else { close(fd); return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                    let length = strlen(name)
                    let isDotOrDotDot = name[0] == 0x2E && (length == 1 || (length == 2 && name[1] == 0x2E))
                    guard length > 0, !isDotOrDotDot else { return }
                    body(fd, name, length, type)
                }
            }
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

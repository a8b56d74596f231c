#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the names in a directory with as few system calls as the platform allows.
///
/// The cache directory holds up to 65,536 small `ab/cd` directories, and the start-up scan and
/// the sweep list every one, so per-directory overhead counts. On Linux the names are read with
/// `getdents64` straight into a caller-provided buffer: `opendir`/`fdopendir` would add an
/// `fstat` and an `fcntl` per directory.
enum DirectoryLister {
    /// Bytes of buffer each level of a walk needs.
    static let bufferSize = 16384

    /// Calls `body(directory, name, nameLength, type)` for each name in the directory `fd`
    /// except `.` and `..`, then closes `fd`. `buffer` holds one batch of names.
    static func forEachName(in fd: Int32, buffer: UnsafeMutableRawBufferPointer, _ body: (Int32, UnsafePointer<CChar>, Int, UInt8) -> Void) {
        guard fd >= 0 else { return }
        guard let getdents64, let base = buffer.baseAddress else {
            forEachNameWithReaddir(in: fd, body)
            return
        }
        defer { close(fd) }
        while true {
            let filled = getdents64(fd, base, buffer.count)
            guard filled > 0 else { return }
            var offset = 0
            // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
            while offset < filled {
                let record = base + offset
                let length = Int(record.loadUnaligned(fromByteOffset: 16, as: UInt16.self))
                let type = record.load(fromByteOffset: 18, as: UInt8.self)
                let name = (record + 19).assumingMemoryBound(to: CChar.self)
                let nameLength = strlen(name)
                if !isDotOrDotDot(name, nameLength) { body(fd, name, nameLength, type) }
                guard length > 0 else { return }
                offset += length
            }
        }
    }

    private static func forEachNameWithReaddir(in fd: Int32, _ body: (Int32, UnsafePointer<CChar>, Int, UInt8) -> Void) {
        guard let dir = fdopendir(fd) else {
            close(fd)
            return
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let type = entry.pointee.d_type
            withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: 256) { name in
                    let length = strlen(name)
                    if !isDotOrDotDot(name, length) { body(fd, name, length, type) }
                }
            }
        }
    }

    private static func isDotOrDotDot(_ name: UnsafePointer<CChar>, _ length: Int) -> Bool {
        length == 0 || (name[0] == 0x2E && (length == 1 || (length == 2 && name[1] == 0x2E)))
    }

    private typealias GetDents64 = @convention(c) (Int32, UnsafeMutableRawPointer?, Int) -> Int

    /// glibc's `getdents64`, looked up at run time (Swift's Glibc module does not declare it).
    private static let getdents64: GetDents64? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "getdents64") else { return nil }
        return unsafeBitCast(symbol, to: GetDents64.self)
        #else
        return nil
        #endif
    }()
}

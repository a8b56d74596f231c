#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of an entry file: a replacement by another process changes the
/// inode (rename puts a new file in place), and the modification time orders entries for eviction
/// after a restart.
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    var modified: Double
    var length: Int64

    init(inode: UInt64, modified: Double, length: Int64) {
        self.inode = inode
        self.modified = modified
        self.length = length
    }

    init(_ info: stat) {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        self.init(inode: UInt64(info.st_ino), modified: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9, length: Int64(info.st_size))
    }
}

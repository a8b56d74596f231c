#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of an entry file: its inode, its length and its modification
/// time to the nanosecond.
///
/// The inode alone can repeat (ext4 hands a freed inode to the next new file), and so can the
/// kernel's own modification time, which moves in clock ticks of a few milliseconds. So every
/// write sets its file's modification time from the precise clock (``DiskTier/write``): two
/// files with one inode exist one after the other, so their times differ, and the triple does
/// not repeat. The time also orders entries for eviction after a restart.
struct FileStamp: Equatable, Sendable {
    var inode: UInt64
    /// Nanoseconds since the Unix epoch.
    var modifiedNanoseconds: Int64
    var length: Int64

    /// Unix seconds.
    var modified: Double { Double(modifiedNanoseconds) / 1e9 }

    init(inode: UInt64, modifiedNanoseconds: Int64, length: Int64) {
        self.inode = inode
        self.modifiedNanoseconds = modifiedNanoseconds
        self.length = length
    }

    init(_ info: stat) {
        #if canImport(Darwin)
        let time = info.st_mtimespec
        #else
        let time = info.st_mtim
        #endif
        self.init(inode: UInt64(info.st_ino), modifiedNanoseconds: Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec), length: Int64(info.st_size))
    }
}

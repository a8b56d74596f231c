#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A manager's registration as a writer of the cache directory: `<cache_dir>/.writers/<id>`, a
/// file named by a random 64-bit id and locked with `flock` for as long as the manager lives.
///
/// Temporary files carry the id of the writer that made them (`<name>.<id>.<n>.tmp`), so a
/// leftover is known dead when its writer's lock is free or its lock file gone, whatever
/// process ids mean: two managers in one process have two ids, a container restarted as PID 1
/// gets a new id, and a process on another host sharing the volume holds its lock there too.
final class WriterLock: Sendable {
    static let directoryName = ".writers"

    /// 16 lowercase hex digits.
    let id: String
    /// `.writers`, kept open so the lock file can be removed at the end whatever the working directory.
    private let directory: Int32
    /// Holds the lock.
    private let fd: Int32

    /// Creates and locks a lock file under a private name, then links it to its id: another
    /// manager never sees an unlocked lock file of a live writer.
    init(root: Int32, path: String) throws(CacheDirectoryError) {
        let display = path + "/" + Self.directoryName
        if mkdirat(root, Self.directoryName, 0o700) != 0 && errno != EEXIST {
            throw CacheDirectoryError(path: path, reason: "not writable: \(DiskFailure("create", display).reason)")
        }
        let directory = openat(root, Self.directoryName, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW)
        guard directory >= 0 else { throw CacheDirectoryError(path: path, reason: DiskFailure("open", display).reason) }
        var failure = DiskFailure("create a lock file in", display, code: EEXIST)
        for _ in 0..<8 {
            let id = Self.randomID()
            let staging = "." + id + ".locking"
            // Read-only: a lock needs no write access, and a file open for writing would keep the file
            // system from being remounted read-only.
            let fd = openat(directory, staging, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            guard fd >= 0 else {
                failure = DiskFailure("create a lock file in", display)
                if errno == EEXIST { continue } else { break }
            }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                failure = DiskFailure("lock", display + "/" + staging)
                close(fd)
                unlinkat(directory, staging, 0)
                continue
            }
            // A link never replaces: an id already taken (however unlikely) fails with EEXIST.
            let linked = linkat(directory, staging, directory, id, 0) == 0
            failure = DiskFailure("link", display + "/" + id)
            unlinkat(directory, staging, 0)
            guard linked else {
                close(fd)
                continue
            }
            self.id = id
            self.directory = directory
            self.fd = fd
            return
        }
        close(directory)
        throw CacheDirectoryError(path: path, reason: "not writable: \(failure.reason)")
    }

    deinit {
        // Unlinked before the lock is let go, so nobody takes the free lock for a dead writer's.
        unlinkat(directory, id, 0)
        close(fd)
        close(directory)
    }

    /// Whether the writer `id` still runs: its lock file is there and locked. A dead writer's
    /// lock file is removed on the way (under its lock, so only one checker does it).
    func isAlive(_ id: Substring) -> Bool {
        if id == self.id { return true }
        // O_NONBLOCK: a FIFO planted under a writer's name must not hang the start-up.
        let fd = openat(directory, String(id), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { return errno != ENOENT }  // any other failure: keep its files
        defer { close(fd) }
        guard DiskTier.isRegularFile(fd) else {
            // Not a lock file any writer made: no writer can be behind it.
            unlinkat(directory, String(id), 0)
            return false
        }
        // EWOULDBLOCK: the writer holds it. Any other failure: keep its files too.
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return true }
        unlinkat(directory, String(id), 0)
        return false
    }

    /// Removes the lock files of writers that are gone (and staging files a writer died over).
    /// Returns how many.
    @discardableResult
    func removeDeadWriters() -> Int {
        var names: [String] = []
        withUnsafeTemporaryAllocation(byteCount: DirectoryLister.bufferSize, alignment: 8) { buffer in
            DirectoryLister.forEachName(in: openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), buffer: buffer) { _, name, _, _ in
                names.append(String(cString: name))
            }
        }
        var removed = 0
        for name in names where name != id {
            if Self.isID(name[...]) {
                if !isAlive(name[...]) { removed += 1 }
            } else if name.hasPrefix("."), name.hasSuffix(".locking") {
                let fd = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
                guard fd >= 0 else { continue }
                if DiskTier.isRegularFile(fd), flock(fd, LOCK_EX | LOCK_NB) == 0, unlinkat(directory, name, 0) == 0 { removed += 1 }
                close(fd)
            }
        }
        return removed
    }

    /// Whether `text` has the shape of a writer id.
    static func isID(_ text: Substring) -> Bool {
        text.utf8.count == 16 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    private static func randomID() -> String {
        let hex = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

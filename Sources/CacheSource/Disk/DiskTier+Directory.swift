#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiskTier {
    /// Why the cache directory cannot take entries now: its path no longer names the directory
    /// the tier opened (removed, replaced by a file or by another directory), or no file can be
    /// created in it (made read-only). `nil` when a write could succeed.
    func directoryProblem() -> CacheDirectoryError? {
        var named = stat()
        guard stat(path, &named) == 0 else {
            let failure = DiskFailure("find", path)
            return problem(failure.code == ENOENT ? "it no longer exists" : failure.description)
        }
        guard (named.st_mode & S_IFMT) == S_IFDIR else { return problem("it is no longer a directory") }
        var opened = stat()
        guard fstat(root, &opened) == 0 else { return problem(DiskFailure("use", path).description) }
        guard named.st_dev == opened.st_dev, named.st_ino == opened.st_ino else {
            var link = stat()
            if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                return problem("it was replaced by a symbolic link, which monitord does not follow once running; put the directory back or restart monitord")
            }
            if let foreign = Self.foreign(named) { return problem(foreign) }
            return problem("it was removed and another directory made in its place")
        }
        let probe = Array(".probe.\(pid).\(UInt64.random(in: 0...UInt64.max)).tmp".utf8CString)
        let fd = openat(root, probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return problem("not writable: \(DiskFailure("write", path).reason)") }
        close(fd)
        unlinkat(root, probe, 0)
        return nil
    }

    /// Makes the tier write into the directory its path names again: creates it when it was
    /// removed, and moves ``root`` onto it when it is not the one opened at start. Entries of the
    /// old directory are not brought back. Returns what still stands in the way, if anything.
    func restoreDirectory() -> CacheDirectoryError? {
        // A symbolic link put where the directory was is not followed: whoever can swap it in
        // would choose where monitord writes entries.
        var link = stat()
        if lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
            return problem("it was replaced by a symbolic link, which monitord does not follow once running; put the directory back or restart monitord")
        }
        if let failure = Self.makeDirectories(path) { return problem(failure.description) }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return problem(DiskFailure("open", path).description) }
        defer { close(fd) }
        var named = stat(), opened = stat()
        guard fstat(fd, &named) == 0, fstat(root, &opened) == 0 else { return problem(DiskFailure("use", path).description) }
        if named.st_dev == opened.st_dev && named.st_ino == opened.st_ino { return directoryProblem() }
        if let foreign = Self.foreign(named) { return problem(foreign) }
        // One atomic step: a call on another thread that uses `root` meanwhile sees the old
        // directory or the new one, never a closed or reused descriptor.
        guard dup2(fd, root) >= 0 else { return problem(DiskFailure("reopen", path).description) }
        // dup2 clears close-on-exec on the new descriptor; the daemon starts no programs meanwhile.
        _ = fcntl(root, F_SETFD, FD_CLOEXEC)
        return directoryProblem()
    }

    /// Why a directory made in place of the cache's is not taken over, or `nil` when it may be:
    /// its owner, or anyone who may write in it, could plant links in it that lead the entry
    /// files elsewhere.
    static func foreign(_ directory: stat) -> String? {
        guard directory.st_uid != geteuid() || (directory.st_mode & 0o022) != 0 else { return nil }
        return "it was made again by uid \(directory.st_uid) with mode \(String(directory.st_mode & 0o777, radix: 8)); monitord takes over only a directory of its own user that no one else may write in; remove it or restart monitord"
    }

    private func problem(_ reason: String) -> CacheDirectoryError {
        CacheDirectoryError(path: path, reason: reason)
    }
}

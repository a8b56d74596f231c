#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension DiskTier {
    /// What a conditional removal did.
    enum Removal: Equatable {
        /// The file was the one meant, and it is gone.
        case removed
        /// Another version is in place (another process wrote it); it was left alone.
        case replaced
        /// There was no file.
        case missing
        /// A system call failed with this errno; the file stays.
        case failed(Int32)
    }

    /// Removes an entry's file only if it is still the version `expected` identifies, so a newer
    /// version another process (or manager) wrote survives, even one that lands mid-removal.
    ///
    /// Checking and then unlinking by name leaves a window in which the name can come to mean
    /// another file. So the file is first moved to a name only this manager uses, compared
    /// there (nobody else can replace it there), and unlinked. When the moved file turns out
    /// not to be the one meant, it goes back under its name, unless a still newer file has
    /// taken the name meanwhile: then the moved one is the older and goes.
    func remove(_ digest: EntryDigest, ifStill expected: FileStamp) -> Removal {
        var rel = relativePath(digest)
        rel.append(0)
        var info = stat()
        guard fstatat(root, rel, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return Self.absentOr(errno) }
        // The cheap check first: in the common case of another version, nothing is moved at all.
        guard FileStamp(info) == expected else { return .replaced }
        hooks.withLock { $0.beforeUnlink }?(digest, .checked)
        var aside = relativePath(digest, extraCapacity: 32)
        aside.append(contentsOf: temporarySuffix())
        guard renameat(root, rel, root, aside) == 0 else { return Self.absentOr(errno) }
        hooks.withLock { $0.beforeUnlink }?(digest, .movedAside)
        if fstatat(root, aside, &info, AT_SYMLINK_NOFOLLOW) == 0, FileStamp(info) == expected {
            return unlinkat(root, aside, 0) == 0 ? .removed : .failed(errno)
        }
        if Self.renameWithoutReplacing(root, aside, rel) != 0 {
            // EEXIST: a newer file holds the name; what was moved aside is older than it.
            unlinkat(root, aside, 0)
        }
        return .replaced
    }

    private static func absentOr(_ code: Int32) -> Removal {
        code == ENOENT || code == ENOTDIR ? .missing : .failed(code)
    }

    /// `renameat2(RENAME_NOREPLACE)`, or where the kernel or file system lacks it, a hard link
    /// (which never replaces either) and an unlink. Returns 0 or the errno; EEXIST when `to`
    /// is taken.
    private static func renameWithoutReplacing(_ root: Int32, _ from: [CChar], _ to: [CChar]) -> Int32 {
        if let renameat2 = FileCalls.renameat2 {
            if renameat2(root, from, root, to, FileCalls.renameNoReplace) == 0 { return 0 }
            if errno != EINVAL && errno != ENOSYS { return errno }
        }
        guard linkat(root, from, root, to, 0) == 0 else { return errno }
        unlinkat(root, from, 0)
        return 0
    }
}

/// File-system calls that Swift's Glibc module does not declare, looked up at run time.
enum FileCalls {
    typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    /// `RENAME_NOREPLACE` from <linux/fs.h>.
    static let renameNoReplace: UInt32 = 1

    /// glibc's `renameat2` (2.28 and later); `nil` elsewhere.
    static let renameat2: RenameAt2? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()
}

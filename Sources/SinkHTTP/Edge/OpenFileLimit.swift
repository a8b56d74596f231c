#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit, and the connection cap that leaves room under it: every
/// connection is a descriptor, and the cache needs descriptors of its own to open entry files.
enum OpenFileLimit {
    /// Descriptors kept for everything but connections: the cache's files, logs, the event loops.
    static let reserve = 128

    /// The soft `RLIMIT_NOFILE` now, or `nil` when unlimited or unknown.
    static var current: Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
        #else
        guard getrlimit(RLIMIT_NOFILE, &limit) == 0 else { return nil }
        #endif
        // RLIM_INFINITY is all bits set.
        return limit.rlim_cur == rlim_t.max ? nil : Int(clamping: limit.rlim_cur)
    }

    /// `configured`, lowered to the limit minus ``reserve`` (half the limit when it is that small).
    static func connectionCap(configured: Int, openFiles: Int?) -> Int {
        guard let openFiles else { return configured }
        return min(configured, max(1, openFiles - reserve, openFiles / 2))
    }
}

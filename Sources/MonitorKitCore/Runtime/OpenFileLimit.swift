#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`): every connection and every cache file is a
/// descriptor, and distributions start services at a soft limit of 1024.
public enum OpenFileLimit {
    #if canImport(Glibc)
    private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resource = RLIMIT_NOFILE
    #endif

    /// The soft limit now, or `nil` when unlimited or unknown.
    public static var current: Int? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        // RLIM_INFINITY is all bits set.
        return limit.rlim_cur == rlim_t.max ? nil : Int(clamping: limit.rlim_cur)
    }

    /// What ``raiseToHardLimit()`` did.
    public enum Raise: Sendable, Equatable {
        case raised(from: UInt64, to: UInt64)
        /// The soft limit already was the hard one.
        case alreadyAtHardLimit(UInt64)
        /// `setrlimit` refused; the reason from `errno`.
        case refused(from: UInt64, to: UInt64, reason: String)
        case unknown
    }

    /// Raises the soft limit to the hard one (done once at start).
    public static func raiseToHardLimit() -> Raise {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return .unknown }
        let before = UInt64(limit.rlim_cur)
        guard limit.rlim_cur < limit.rlim_max else { return .alreadyAtHardLimit(before) }
        limit.rlim_cur = limit.rlim_max
        guard setrlimit(resource, &limit) == 0 else {
            return .refused(from: before, to: UInt64(limit.rlim_max), reason: String(cString: strerror(errno)))
        }
        return .raised(from: before, to: UInt64(limit.rlim_cur))
    }
}

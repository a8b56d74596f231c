#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call on the disk tier, with what was being done and to which path.
struct DiskFailure: Error, CustomStringConvertible {
    var operation: String
    var path: String
    var code: Int32

    /// Captures the current `errno`.
    init(_ operation: String, _ path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    var reason: String { String(cString: strerror(code)) }

    var description: String { "cannot \(operation) \(path): \(reason)" }
}

/// The cache directory cannot be created or used; thrown when a ``CacheManager`` starts, with the
/// path named so the operator can fix it (monitord prints it and exits non-zero).
public struct CacheDirectoryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The cache directory as configured.
    public var path: String
    /// What went wrong, e.g. `Not a directory`.
    public var reason: String

    /// The error for the directory at `path`, failing for `reason`.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The message monitord prints: the path and the reason.
    public var description: String { "cache directory \"\(path)\" cannot be used: \(reason)" }
}

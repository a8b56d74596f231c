#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

extension CacheSource {
    /// Threads of ``io``: twice the cores, at least 8, so lookups stuck on a slow disk leave
    /// others to the rest of the data plane.
    static let ioThreadCount = max(8, 2 * sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// The threads the data plane's blocking file work runs on (disk lookups, set, delete). One
    /// pool for the process, started on first use and never shut down: it lives as long as the
    /// process, like the cooperative pool it stands beside.
    static let io: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: ioThreadCount)
        pool.start()
        return pool
    }()

    /// The threads of the directory walks (clear and sweep): a walk of a big cache holds its
    /// thread for seconds, and never one the data plane needs.
    static let walks: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// Runs a directory walk on ``walks``.
    static func walk<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await walks.runIfActive(body)
    }
}

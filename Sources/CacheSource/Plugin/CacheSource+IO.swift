#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOPosix

extension CacheSource {
    /// Threads of ``io``: twice the cores, at least 8, so a clear and a sweep (each holding one
    /// thread for seconds on a big cache) leave most of them to the data plane.
    static let ioThreadCount = max(8, 2 * sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// The threads every cache source's blocking file work runs on. One pool for the process,
    /// started on first use and never shut down (it lives as long as the process, like the
    /// cooperative pool it stands beside).
    static let io: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: ioThreadCount)
        pool.start()
        return pool
    }()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Logging

/// Raises the soft open-file limit to the hard one, once at start: every connection and every
/// cache file is a descriptor, and distributions start services at a soft limit of 1024.
func raiseOpenFileLimit(logger: Logger) {
    #if canImport(Glibc)
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    let resource = RLIMIT_NOFILE
    #endif
    var limit = rlimit()
    guard getrlimit(resource, &limit) == 0 else { return }
    let before = limit.rlim_cur
    if limit.rlim_cur < limit.rlim_max {
        limit.rlim_cur = limit.rlim_max
        if setrlimit(resource, &limit) != 0 {
            logger.warning("could not raise the open-file limit from \(before) to \(limit.rlim_max): \(String(cString: strerror(errno)))")
            return
        }
        logger.info("open-file limit raised from \(before) to \(limit.rlim_cur) (the hard limit)")
    } else {
        logger.info("open-file limit \(limit.rlim_cur) (the hard limit)")
    }
}

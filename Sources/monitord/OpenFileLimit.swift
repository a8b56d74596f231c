import Logging
import MonitorKitCore

/// Raises the soft open-file limit to the hard one, once at start, and says so.
func raiseOpenFileLimit(logger: Logger) {
    switch OpenFileLimit.raiseToHardLimit() {
    case .raised(let before, let after): logger.info("open-file limit raised from \(before) to \(after) (the hard limit)")
    case .alreadyAtHardLimit(let limit): logger.info("open-file limit \(limit) (the hard limit)")
    case .refused(let before, let hard, let reason): logger.warning("could not raise the open-file limit from \(before) to \(hard): \(reason)")
    case .unknown: break
    }
}

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls a handler on every SIGHUP, the signal logrotate sends after renaming a log file.
///
/// A dispatch signal source, so several listeners (one per file sink) can watch the same signal;
/// the default action (terminate) is set to ignore so a HUP never kills the daemon.
final class HangupListener {
    private let source: any DispatchSourceSignal

    init(queue: DispatchQueue = .global(), handler: @escaping @Sendable () -> Void) {
        signal(SIGHUP, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}

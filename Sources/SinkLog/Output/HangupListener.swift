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
/// A dispatch signal source, so several listeners (one per file sink) can watch the same signal.
/// On Linux dispatch installs its own handler for the signal, which also keeps a HUP from
/// terminating the daemon; on Darwin kqueue only sees signals whose action is "ignore".
final class HangupListener {
    private let source: any DispatchSourceSignal

    init(queue: DispatchQueue = .global(), handler: @escaping @Sendable () -> Void) {
        #if canImport(Darwin)
        signal(SIGHUP, SIG_IGN)
        #endif
        source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: queue)
        source.setEventHandler(handler: handler)
        source.resume()
    }

    func cancel() {
        source.cancel()
    }
}

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Calls a handler on every SIGHUP (a reload, or logrotate's signal after renaming a log file)
/// and every SIGUSR1 (the signal to reopen the log file alone, for logrotate's `postrotate`).
///
/// A dispatch signal source, so several listeners (one per file sink) can watch the same signal.
/// On Linux dispatch installs its own handler for the signal, which also keeps a HUP from
/// terminating the daemon; on Darwin kqueue only sees signals whose action is "ignore".
final class HangupListener {
    private let sources: [any DispatchSourceSignal]

    init(queue: DispatchQueue = .global(), handler: @escaping @Sendable (_ signal: String) -> Void) {
        sources = [(SIGHUP, "SIGHUP"), (SIGUSR1, "SIGUSR1")].map { number, name in
            #if canImport(Darwin)
            signal(number, SIG_IGN)
            #endif
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { handler(name) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}

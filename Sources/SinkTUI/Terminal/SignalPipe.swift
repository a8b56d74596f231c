#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The write end of the self-pipe the signal handlers write to.
///
/// A C signal handler cannot capture context, so it reads this global. It is set before any
/// handler is installed and reset only after every handler is uninstalled, and a signal handler
/// only reads it, so no data race is possible (hence `nonisolated(unsafe)`).
nonisolated(unsafe) private var signalPipeWriteFD: Int32 = -1

/// Turns signals into bytes on a pipe (the classic self-pipe), which the input thread polls
/// next to the keyboard: a handler may only do async-signal-safe work, and `write` is.
final class SignalPipe: Sendable {
    /// Each byte read is the number of a signal that arrived.
    let readFD: Int32
    private let writeFD: Int32
    private struct Installed: @unchecked Sendable {
        // sigaction is a plain C struct; @unchecked only because the importer does not say so.
        var previous: [(signal: Int32, action: sigaction)] = []
    }
    private let installed = Mutex(Installed())

    struct Error: Swift.Error, CustomStringConvertible {
        var description: String
    }

    init(signals: [Int32]) throws(Error) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw Error(description: "cannot make a signal pipe (errno \(errno))") }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]
        writeFD = fds[1]
        signalPipeWriteFD = writeFD
        var previous: [(Int32, sigaction)] = []
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteFD, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            var old = sigaction()
            if sigaction(signal, &action, &old) == 0 { previous.append((signal, old)) }
        }
        installed.withLock { $0.previous = previous.map { (signal: $0.0, action: $0.1) } }
    }

    /// Puts the previous handlers back and closes the pipe; safe to call twice.
    func uninstall() {
        let previous = installed.withLock { installed in
            defer { installed.previous = [] }
            return installed.previous
        }
        guard !previous.isEmpty else { return }
        for entry in previous.reversed() {
            var action = entry.action
            _ = sigaction(entry.signal, &action, nil)
        }
        signalPipeWriteFD = -1
        close(readFD)
        close(writeFD)
    }
}

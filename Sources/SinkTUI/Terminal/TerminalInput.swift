#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Reads keys and signals on a thread of its own, so a blocking `poll` never holds one of the
/// few threads of Swift's cooperative pool.
final class TerminalInput: Sendable {
    enum Event: Sendable, Equatable {
        case keys([Key])
        case signal(Int32)
        /// Bytes read from one of the `outputFDs` (captured stdout/stderr).
        case output(fd: Int32, bytes: [UInt8])
    }

    private let inputFD: Int32?
    private let signalFD: Int32?
    private let outputFDs: [Int32]
    private let stopPipe: (read: Int32, write: Int32)
    private let thread = Mutex<pthread_t?>(nil)
    private let deliver: @Sendable (Event) -> Void

    /// How long a lone ESC waits for the rest of a sequence before it counts as the Escape key.
    static let escapeTimeoutMilliseconds: Int32 = 30

    /// `inputFD` `nil` reads no keys (stdin is not a terminal); `signalFD` is a ``SignalPipe``;
    /// `outputFDs` are the read ends of an ``OutputCapture``.
    init(inputFD: Int32?, signalFD: Int32?, outputFDs: [Int32] = [], deliver: @escaping @Sendable (Event) -> Void) {
        self.inputFD = inputFD
        self.signalFD = signalFD
        self.outputFDs = outputFDs
        self.deliver = deliver
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        stopPipe = (fds[0], fds[1])
    }

    func start() {
        let box = Unmanaged.passRetained(ThreadBody { [self] in self.loop() }).toOpaque()
        var handle = pthread_t()
        if pthread_create(&handle, nil, { context in
            guard let context else { return nil }
            Unmanaged<ThreadBody>.fromOpaque(context).takeRetainedValue().run()
            return nil
        }, box) == 0 {
            thread.withLock { $0 = handle }
        } else {
            Unmanaged<ThreadBody>.fromOpaque(box).release()
        }
    }

    /// Stops the thread and waits for it, so no key meant for the shell is read after the view ends.
    func stop() {
        guard let handle = thread.withLock({ $0.take() }) else { return }
        var byte: UInt8 = 0
        _ = write(stopPipe.write, &byte, 1)
        // The thread wakes from poll at once; joining takes microseconds.
        _ = pthread_join(handle, nil)
        close(stopPipe.read)
        close(stopPipe.write)
    }

    private func loop() {
        var decoder = KeyDecoder()
        var readKeys = inputFD != nil
        var readSignals = signalFD != nil
        var readOutputs = Set(outputFDs)
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            var fds = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0)]
            if readSignals, let signalFD { fds.append(pollfd(fd: signalFD, events: Int16(POLLIN), revents: 0)) }
            if readKeys, let inputFD { fds.append(pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)) }
            for fd in outputFDs where readOutputs.contains(fd) { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let timeout = decoder.hasPending ? Self.escapeTimeoutMilliseconds : -1
            let ready = poll(&fds, nfds_t(fds.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                let keys = decoder.flush()
                if !keys.isEmpty { deliver(.keys(keys)) }
                continue
            }
            for entry in fds where entry.revents != 0 {
                if entry.fd == stopPipe.read { return }
                let n = read(entry.fd, &buffer, buffer.count)
                if n <= 0 {
                    if n < 0, errno == EINTR || errno == EAGAIN { continue }
                    // The keyboard went away (EOF) or a pipe broke: stop watching that one.
                    if entry.fd == inputFD {
                        readKeys = false
                    } else if entry.fd == signalFD {
                        readSignals = false
                    } else {
                        readOutputs.remove(entry.fd)
                    }
                    continue
                }
                if outputFDs.contains(entry.fd) {
                    deliver(.output(fd: entry.fd, bytes: Array(buffer.prefix(n))))
                } else if entry.fd == signalFD {
                    for byte in buffer.prefix(n) { deliver(.signal(Int32(byte))) }
                } else {
                    let keys = decoder.feed(buffer.prefix(n))
                    if !keys.isEmpty { deliver(.keys(keys)) }
                }
            }
        }
    }
}

/// The closure a new thread runs, boxed to pass through `pthread_create`'s context pointer.
private final class ThreadBody: Sendable {
    let run: @Sendable () -> Void
    init(_ run: @escaping @Sendable () -> Void) { self.run = run }
}

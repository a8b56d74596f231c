#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Where log lines go: standard output or an append-only file, behind a write buffer.
///
/// Lines collect in memory and reach the descriptor when the buffer passes ``flushThreshold``,
/// on ``flush()`` (the sink calls it every `flush_interval` and at shutdown) and before a reopen.
/// A file is reopened by path on ``reopen()``, which is what logrotate's rename-then-SIGHUP needs.
final class LogOutput: Sendable {
    enum Target: Sendable, Equatable {
        case standardOutput
        case file(String)
    }

    let target: Target
    /// Bytes kept in memory before a write is forced.
    let flushThreshold: Int
    private let state: Mutex<State>

    private struct State {
        var fd: Int32
        var buffer: [UInt8] = []
        var writeErrors = 0
        var lastError: String?
    }

    init(target: Target, flushThreshold: Int = 64 * 1024) throws(LogOutputError) {
        self.target = target
        self.flushThreshold = flushThreshold
        let fd: Int32
        switch target {
        case .standardOutput: fd = STDOUT_FILENO
        case .file(let path): fd = try Self.open(path)
        }
        var initial = State(fd: fd)
        initial.buffer.reserveCapacity(flushThreshold + 4096)
        state = Mutex(initial)
    }

    /// Appends one rendered line (with its newline) to the buffer; returns the count of failed
    /// writes so far, so the caller can report a new failure without another lock.
    @discardableResult
    func write(_ line: [UInt8]) -> Int {
        state.withLock { s in
            s.buffer.append(contentsOf: line)
            if s.buffer.count >= flushThreshold { Self.drain(&s) }
            return s.writeErrors
        }
    }

    /// Writes what is buffered.
    func flush() {
        state.withLock { Self.drain(&$0) }
    }

    /// Flushes to the current file, then opens the path again: after logrotate renamed the old file,
    /// new lines go to a fresh file at the configured path. Standard output is left as it is.
    func reopen() throws(LogOutputError) {
        guard case .file(let path) = target else { return }
        try state.withLock { (s: inout State) throws(LogOutputError) in
            Self.drain(&s)
            let fd = try Self.open(path)
            _ = posixClose(s.fd)
            s.fd = fd
        }
    }

    /// Flushes and closes the file (standard output stays open for others).
    func close() {
        state.withLock { s in
            Self.drain(&s)
            if case .file = target, s.fd >= 0 {
                _ = posixClose(s.fd)
                s.fd = -1
            }
        }
    }

    /// Failed writes so far, and the last reason.
    var errors: (count: Int, last: String?) {
        state.withLock { ($0.writeErrors, $0.lastError) }
    }

    private static func drain(_ s: inout State) {
        guard !s.buffer.isEmpty, s.fd >= 0 else { return }
        let fd = s.fd
        let failure = s.buffer.withUnsafeBytes { raw -> Int32? in
            guard let base = raw.baseAddress else { return nil }
            var offset = 0
            while offset < raw.count {
                let n = posixWrite(fd, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    return n < 0 ? errno : EIO
                }
            }
            return nil
        }
        if let failure {
            // A full disk must not grow memory without bound: the batch is dropped and counted.
            s.writeErrors += 1
            s.lastError = String(cString: strerror(failure))
        }
        s.buffer.removeAll(keepingCapacity: true)
    }

    /// Opens for appending, creating the file with mode 0640 whatever the umask.
    private static func open(_ path: String) throws(LogOutputError) -> Int32 {
        for _ in 0..<3 {
            let created = posixOpen(path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            if created >= 0 {
                _ = fchmod(created, 0o640)
                return created
            }
            guard errno == EEXIST else { break }
            let existing = posixOpen(path, O_WRONLY | O_APPEND | O_CLOEXEC, 0)
            if existing >= 0 { return existing }
            guard errno == ENOENT else { break }
            // Removed between the two calls (a rotation): try creating again.
        }
        throw LogOutputError(path: path, reason: String(cString: strerror(errno)))
    }
}

/// The log file could not be opened.
public struct LogOutputError: Error, Sendable, CustomStringConvertible {
    /// The log file as configured.
    public var path: String
    /// What the system said, e.g. `Permission denied`.
    public var reason: String

    /// The message monitord prints, with how to fix it.
    public var description: String {
        "cannot open log file \"\(path)\": \(reason) (check that the directory exists and is writable, or set path: \"-\" for standard output)"
    }
}

// File-scope wrappers: inside `LogOutput` the names `close` and `write` mean its own methods.
private func posixOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func posixClose(_ fd: Int32) -> Int32 { close(fd) }

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// While the `tui` sink owns the terminal, the daemon's own stdout and stderr (its logs, a log sink
/// on `-`) would scroll the screen and break the view. This points those descriptors at pipes the
/// view reads and shows, and on the way out points them back and replays what was written, so no
/// line is lost.
final class OutputCapture: Sendable {
    struct Stream: Sendable {
        /// The descriptor the process writes to (1 or 2).
        let target: Int32
        /// A copy of the original terminal descriptor.
        let saved: Int32
        /// The read end of the pipe `target` now points at.
        let readFD: Int32
    }

    /// The most bytes kept per stream for the replay; older output is dropped (and counted).
    static let replayLimit = 1 << 20

    let streams: [Stream]
    private let kept: Mutex<[Int32: (bytes: [UInt8], dropped: Int)]>
    private let restored = Atomic<Bool>(false)

    /// Captures each of `fds` that is a terminal; `nil` when none is.
    init?(fds: [Int32]) {
        var streams: [Stream] = []
        for fd in fds where isatty(fd) == 1 {
            var ends: [Int32] = [-1, -1]
            let saved = dup(fd)
            guard saved >= 0, pipe(&ends) == 0 else {
                if saved >= 0 { close(saved) }
                continue
            }
            _ = fcntl(saved, F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
            guard dup2(ends[1], fd) >= 0 else {
                close(saved); close(ends[0]); close(ends[1])
                continue
            }
            close(ends[1])
            streams.append(Stream(target: fd, saved: saved, readFD: ends[0]))
        }
        guard !streams.isEmpty else { return nil }
        self.streams = streams
        kept = Mutex(Dictionary(uniqueKeysWithValues: streams.map { ($0.readFD, (bytes: [UInt8](), dropped: 0)) }))
    }

    /// The terminal copy of `fd` when it is captured (the view writes there), else `fd`.
    func terminalFD(for fd: Int32) -> Int32 {
        streams.first { $0.target == fd }?.saved ?? fd
    }

    /// Keeps bytes read from a capture pipe for the replay.
    func keep(_ bytes: ArraySlice<UInt8>, from readFD: Int32) {
        kept.withLock { kept in
            guard var entry = kept[readFD] else { return }
            entry.bytes.append(contentsOf: bytes)
            if entry.bytes.count > Self.replayLimit {
                let excess = entry.bytes.count - Self.replayLimit
                entry.bytes.removeFirst(excess)
                entry.dropped += excess
            }
            kept[readFD] = entry
        }
    }

    /// Points the descriptors back at the terminal and writes out what was captured; safe to call twice.
    func restore() {
        guard !restored.exchange(true, ordering: .acquiringAndReleasing) else { return }
        var buffer = [UInt8](repeating: 0, count: 65536)
        for stream in streams {
            _ = dup2(stream.saved, stream.target)
            // What was written after the reader stopped is still in the pipe.
            while true {
                let n = read(stream.readFD, &buffer, buffer.count)
                guard n > 0 else { break }
                keep(buffer.prefix(n), from: stream.readFD)
            }
            close(stream.readFD)
            close(stream.saved)
            let (bytes, dropped) = kept.withLock { $0[stream.readFD] ?? ([], 0) }
            if dropped > 0 {
                writeAll(Array("monitord: \(dropped) bytes of output written while the terminal view was up were dropped; the last \(bytes.count) follow\n".utf8), to: 2)
            }
            writeAll(bytes, to: stream.target)
        }
    }

    private func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let n = write(fd, base + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n < 0, errno == EINTR { continue } else { return }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import SinkTUI

/// A real pseudo-terminal: the view writes to the slave side as it would to a terminal; the test
/// reads what it wrote and types keys on the master side.
final class PseudoTerminal: Sendable {
    let master: Int32
    let slave: Int32
    private let output = Mutex<[UInt8]>([])
    private let reading = Atomic<Bool>(true)

    /// `_IOW('T', 0x31, int)` and `_IOR('T', 0x30, unsigned int)` from <asm-generic/ioctls.h>.
    static let TIOCSPTLCK: UInt = 0x4004_5431
    static let TIOCGPTN: UInt = 0x8004_5430

    struct Failure: Error, CustomStringConvertible { var description: String }

    init(width: Int = 100, height: Int = 30) throws {
        // posix_openpt/grantpt/unlockpt/ptsname are hidden from Swift's Glibc module (they need
        // _XOPEN_SOURCE), so do what they do on Linux: open /dev/ptmx, unlock, ask the number.
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        var unlock: Int32 = 0, number: UInt32 = 0
        guard master >= 0, ioctl(master, Self.TIOCSPTLCK, &unlock) == 0, ioctl(master, Self.TIOCGPTN, &number) == 0 else {
            throw Failure(description: "no pseudo-terminal (errno \(errno))")
        }
        slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw Failure(description: "cannot open /dev/pts/\(number)") }
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        resize(width: width, height: height)
    }

    func resize(width: Int, height: Int) {
        var size = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// Drains the master side so the view never blocks on a full pty buffer.
    func startReading() {
        Task.detached { [self] in
            var buffer = [UInt8](repeating: 0, count: 65536)
            while reading.load(ordering: .relaxed) {
                let n = read(master, &buffer, buffer.count)
                if n > 0 {
                    output.withLock { $0.append(contentsOf: buffer.prefix(n)) }
                } else {
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
        }
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    var bytes: [UInt8] { output.withLock { $0 } }

    /// Everything written so far with escape sequences removed.
    var text: String { Self.strip(bytes) }

    static func strip(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "[") {
                index += 2
                while index < bytes.count, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                index += 1
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    var termios: termios {
        var t = Glibc.termios()
        _ = tcgetattr(slave, &t)
        return t
    }

    func close() {
        reading.store(false, ordering: .relaxed)
        Glibc.close(slave)
        Glibc.close(master)
    }
}

/// Polls `condition` every 10 ms until it holds, or fails after `timeout` naming what it waited for.
func waitUntil(_ what: String, timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw PseudoTerminal.Failure(description: "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

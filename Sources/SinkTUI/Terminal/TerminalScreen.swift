#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The terminal the view owns while it runs: raw mode on input, the alternate screen, a hidden
/// cursor and no line wrap; ``restore()`` puts every one of them back and is safe to call twice.
final class TerminalScreen: Sendable {
    let inputFD: Int32
    let outputFD: Int32

    private struct Saved: @unchecked Sendable {
        // termios is a plain C struct of integers; @unchecked only because the importer does not say so.
        var termios: termios?
        var active = false
    }

    private let saved = Mutex(Saved())

    /// Enter: alternate screen, hide cursor, no auto-wrap (so the last column of the last row
    /// never scrolls), clear. Restore undoes them in reverse.
    static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[?7l\u{1B}[H\u{1B}[2J"
    static let restoreSequence = "\u{1B}[0m\u{1B}[?7h\u{1B}[?25h\u{1B}[?1049l"

    init(inputFD: Int32 = STDIN_FILENO, outputFD: Int32 = STDOUT_FILENO) {
        self.inputFD = inputFD
        self.outputFD = outputFD
    }

    static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Columns and rows of the terminal on `fd`, or `nil` when it is not a terminal.
    static func size(of fd: Int32) -> (width: Int, height: Int)? {
        var size = winsize()
        guard ioctl(fd, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 else { return nil }
        return (Int(size.ws_col), Int(size.ws_row))
    }

    var size: (width: Int, height: Int) {
        Self.size(of: outputFD) ?? (80, 24)
    }

    /// Whether keys can be read (stdin is a terminal).
    var hasKeyboard: Bool { Self.isTerminal(inputFD) }

    func enter() {
        saved.withLock { saved in
            guard !saved.active else { return }
            if Self.isTerminal(inputFD) {
                var original = termios()
                if tcgetattr(inputFD, &original) == 0 {
                    saved.termios = original
                    var raw = original
                    cfmakeraw(&raw)
                    // Keep output processing so a stray "\n" from elsewhere still returns the carriage.
                    raw.c_oflag |= tcflag_t(OPOST)
                    _ = tcsetattr(inputFD, TCSAFLUSH, &raw)
                }
            }
            saved.active = true
        }
        write(Array(Self.enterSequence.utf8))
    }

    func restore() {
        let original: termios?? = saved.withLock { saved in
            guard saved.active else { return .none }
            saved.active = false
            return .some(saved.termios.take())
        }
        guard case .some(let termios) = original else { return }
        write(Array(Self.restoreSequence.utf8))
        if var termios {
            _ = tcsetattr(inputFD, TCSAFLUSH, &termios)
        }
    }

    /// Writes all of `bytes`, retrying after interrupts and partial writes.
    func write(_ bytes: [UInt8]) {
        var offset = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while offset < buffer.count {
                let n = systemWrite(outputFD, base + offset, buffer.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR || errno == EAGAIN {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// The C `write`, out of reach of the method's name.
private func systemWrite(_ fd: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, pointer, count)
}

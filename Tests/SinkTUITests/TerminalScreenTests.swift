#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import SinkTUI

@Suite(.serialized) struct TerminalScreenTests {
    @Test func enterTakesRawModeAndTheAlternateScreenAndRestoreGivesEverythingBack() async throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        pty.startReading()
        let before = pty.termios
        #expect(before.c_lflag & tcflag_t(ICANON) != 0)
        let screen = TerminalScreen(inputFD: pty.slave, outputFD: pty.slave)
        screen.enter()
        let raw = pty.termios
        #expect(raw.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0)
        screen.restore()
        // A second restore (signal after q, say) changes nothing and writes nothing.
        screen.restore()
        let after = pty.termios
        #expect(after.c_lflag == before.c_lflag && after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag && after.c_cflag == before.c_cflag)
        let expected = Array((TerminalScreen.enterSequence + TerminalScreen.restoreSequence).utf8)
        try await waitUntil("the enter and restore sequences") { pty.bytes.count >= expected.count }
        #expect(pty.bytes == expected)
    }

    @Test func theSizeIsTheTerminalsWindowSize() throws {
        let pty = try PseudoTerminal(width: 123, height: 45)
        defer { pty.close() }
        #expect(TerminalScreen.size(of: pty.slave).map { [$0.width, $0.height] } == [123, 45])
        pty.resize(width: 60, height: 20)
        #expect(TerminalScreen.size(of: pty.slave).map { [$0.width, $0.height] } == [60, 20])
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(TerminalScreen.size(of: fds[1]) == nil)
        #expect(!TerminalScreen.isTerminal(fds[1]))
        #expect(TerminalScreen.isTerminal(pty.slave))
    }
}

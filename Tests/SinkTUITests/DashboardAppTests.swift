#if canImport(Glibc)
import Glibc
#endif
import CacheSource
import MonitorKitCore
import Testing
@testable import SinkTUI

/// The whole view in-process: the real app loop, a real runtime context and bus, a real
/// pseudo-terminal. Serialized because the view installs process-wide signal handlers.
@Suite(.serialized) struct DashboardAppTests {
    struct Running {
        let pty: PseudoTerminal
        let source: TestCacheSource
        let runtime: RuntimeContext
        let subscription: Subscription
        let task: Task<DashboardExit, Never>
    }

    func start(colors: Bool = true, signals: [Int32] = []) async throws -> Running {
        let pty = try PseudoTerminal(width: 100, height: 30)
        pty.startReading()
        let source = TestCacheSource()
        let runtime = RuntimeContext(sources: [source], types: ["cache": "cache"], metrics: ["cache": CacheStatistics.descriptors])
        let subscription = runtime.bus.subscribe("terminal")
        await runtime.bus.publish(Event(source: "cache", name: "cache.stats", kind: .metric, fields: source.fields()))
        var options = DashboardOptions()
        options.colors = colors
        options.signals = signals
        let app = DashboardApp(
            backend: LocalBackend(runtime: runtime, events: subscription), options: options,
            screen: TerminalScreen(inputFD: pty.slave, outputFD: pty.slave), version: "9.9.9")
        let task = Task { await app.run() }
        try await waitUntil("the first frame") { pty.text.contains("Memory items") && pty.text.contains("120") }
        return Running(pty: pty, source: source, runtime: runtime, subscription: subscription, task: task)
    }

    @Test func clearAsksThenClearsAndShowsTheCountsThenQuitRestoresTheTerminal() async throws {
        let run = try await start()
        defer { run.pty.close() }
        let before = run.pty.termios
        #expect(before.c_lflag & tcflag_t(ICANON) == 0)
        #expect(run.pty.text.contains("monitord 9.9.9"))
        run.pty.type("c")
        try await waitUntil("the clear question") { run.pty.text.contains("reset its statistics? [y/N]") }
        #expect(run.source.clears.load(ordering: .relaxed) == 0)
        run.pty.type("y")
        try await waitUntil("the cleared counts") { run.pty.text.contains("Cleared cache: 120 memory items and 345 disk items removed") }
        #expect(run.source.clears.load(ordering: .relaxed) == 1)
        run.pty.type("q")
        #expect(await run.task.value == .quit)
        let after = run.pty.termios
        #expect(after.c_lflag & tcflag_t(ICANON | ECHO) == tcflag_t(ICANON | ECHO))
        try await waitUntil("the restore sequence") {
            String(decoding: run.pty.bytes, as: UTF8.self).hasSuffix(TerminalScreen.restoreSequence)
        }
    }

    @Test func liveEventsRedrawOnlyWhatChanged() async throws {
        let run = try await start()
        defer { run.pty.close() }
        let mark = run.pty.bytes.count
        var fields = run.source.fields()
        fields["memory_items"] = .int(777)
        await run.runtime.bus.publish(Event(source: "cache", name: "cache.stats", kind: .metric, fields: fields))
        try await waitUntil("the new figure") { PseudoTerminal.strip(Array(run.pty.bytes[mark...])).contains("777") }
        // No full clear for an update: only changed cells are written.
        #expect(!String(decoding: run.pty.bytes[mark...], as: UTF8.self).contains("\u{1B}[2J"))
        run.pty.type("q")
        #expect(await run.task.value == .quit)
    }

    @Test func aResizeRepaintsAtTheNewSize() async throws {
        let run = try await start()
        defer { run.pty.close() }
        let mark = run.pty.bytes.count
        run.pty.resize(width: 60, height: 20)
        // The test process is not the pty's foreground group, so deliver SIGWINCH as the kernel would.
        kill(getpid(), SIGWINCH)
        try await waitUntil("a full repaint") { String(decoding: run.pty.bytes[mark...], as: UTF8.self).contains("\u{1B}[2J") }
        // Rows addressed after the repaint fit 20 rows. (A frame drawn at the old size may still
        // land between `mark` and the repaint: only what follows the clear counts.)
        func afterRepaint() -> Substring {
            let text = String(decoding: run.pty.bytes[mark...], as: UTF8.self)
            var rest = text[...]
            while let clear = rest.firstRange(of: "\u{1B}[2J") { rest = rest[clear.upperBound...] }
            return rest.endIndex == text.endIndex && rest.startIndex == text.startIndex ? "" : rest
        }
        try await waitUntil("the footer on row 20") { afterRepaint().contains("\u{1B}[20;1H") }
        #expect(!afterRepaint().contains("\u{1B}[21;"))
        run.pty.type("q")
        #expect(await run.task.value == .quit)
    }

    @Test func aSignalEndsTheViewAndRestoresTheTerminal() async throws {
        let run = try await start(signals: [SIGUSR1])
        defer { run.pty.close() }
        kill(getpid(), SIGUSR1)
        #expect(await run.task.value == .signal(SIGUSR1))
        #expect(run.pty.termios.c_lflag & tcflag_t(ICANON) != 0)
    }

    @Test func theEndOfTheFeedEndsTheView() async throws {
        let run = try await start()
        defer { run.pty.close() }
        run.subscription.finish()
        #expect(await run.task.value == .feedEnded)
        #expect(run.pty.termios.c_lflag & tcflag_t(ICANON) != 0)
    }

    @Test func noColorMeansNoStyleSequences() async throws {
        let run = try await start(colors: false)
        defer { run.pty.close() }
        run.pty.type("q")
        #expect(await run.task.value == .quit)
        let written = String(decoding: run.pty.bytes, as: UTF8.self)
            .replacingOccurrences(of: TerminalScreen.restoreSequence, with: "")
        #expect(written.range(of: "\u{1B}\\[[0-9;]*m", options: .regularExpression) == nil)
    }
}

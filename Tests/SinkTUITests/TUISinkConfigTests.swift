#if canImport(Glibc)
import Glibc
#endif
import Logging
import MonitorKitCore
import Testing
@testable import SinkTUI

@Suite struct TUISinkConfigTests {
    func decode(_ yaml: String) throws -> TUISinkConfig {
        try YAMLDecoder().decode(TUISinkConfig.self, from: yaml, file: "monitord.yaml", environment: [:])
    }

    func context() -> SinkBuildContext {
        let runtime = RuntimeContext(sources: [TestCacheSource()], types: ["cache": "cache"])
        return SinkBuildContext(id: "terminal", logger: Logger(label: "test"), emitter: Emitter(source: "terminal", bus: runtime.bus), runtime: runtime)
    }

    @Test func keysAndDefaults() throws {
        let defaults = try decode("{}")
        #expect(defaults.refresh == .seconds(1) && defaults.source == nil)
        let custom = try decode("refresh: 250ms\nsource: cache\n")
        #expect(custom.refresh == .milliseconds(250) && custom.source == "cache")
        #expect(TUISinkConfig.type == "tui")
    }

    @Test func aRefreshOutOfRangeSaysWhatToWrite() {
        #expect(throws: (any Error).self) { try decode("refresh: 10ms\n") }
        do {
            _ = try decode("refresh: 10ms\n")
        } catch {
            #expect("\(error)".contains("refresh must be between 100ms and 1m"))
        }
    }

    @Test func anUnknownKeyIsRejectedWithASuggestion() {
        do {
            _ = try decode("refesh: 1s\n")
            Issue.record("an unknown key was accepted")
        } catch {
            #expect("\(error)".contains("unknown field \"refesh\" (did you mean \"refresh\"?)"))
        }
    }

    @Test func buildingWithoutATerminalOnStdoutFailsWithOneClearLine() throws {
        var fds: [Int32] = [-1, -1]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        #expect(throws: TUIError.notATerminal(sink: "terminal")) { try TUISinkConfig().build(context: context(), outputFD: fds[1]) }
        #expect(TUIError.notATerminal(sink: "terminal").description.hasPrefix("the tui sink needs a terminal on stdout, but stdout is not a terminal"))
    }

    @Test func buildingOnATerminalWorksAndChecksTheSource() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let sink = try TUISinkConfig(source: "cache").build(context: context(), outputFD: pty.slave)
        #expect(sink.id == "terminal")
        #expect(throws: TUIError.unknownSource(sink: "terminal", source: "cahce", known: ["cache"])) {
            try TUISinkConfig(source: "cahce").build(context: context(), outputFD: pty.slave)
        }
        #expect(TUIError.unknownSource(sink: "terminal", source: "cahce", known: ["cache"]).description
            == "source: no source named \"cahce\" (sources: cache)")
    }

    @Test func topOptionsAreChecked() throws {
        #expect(try TopViewer.Options(url: "http://127.0.0.1:8000/").validatedURL() == "http://127.0.0.1:8000")
        #expect(throws: TopOptionError.self) { try TopViewer.Options(url: "127.0.0.1:8000").validate() }
        #expect(throws: TopOptionError.self) { try TopViewer.Options(interval: .milliseconds(10)).validate() }
        do {
            try TopViewer.Options(url: "ftp://x").validate()
        } catch {
            #expect(error.description == "--url must be an http:// or https:// URL such as http://127.0.0.1:8000, found \"ftp://x\"")
        }
    }
}

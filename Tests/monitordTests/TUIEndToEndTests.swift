import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The terminal view driven like a user drives it: the real binary in a real terminal (tmux),
/// keys sent with send-keys, the screen read with capture-pane, figures checked against the API.
@Suite(.serialized) struct TUIEndToEndTests {
    /// `GET /api/cache/stats` as a dictionary.
    func stats(_ baseURL: String) async throws -> [String: Any] {
        let response = try await HTTP.request(.GET, "\(baseURL)/api/cache/stats")
        #expect(response.status == 200)
        return try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    /// Some sets, hits and misses, so no figure is trivially zero.
    func traffic(_ baseURL: String, token: String? = nil) async throws {
        let auth = token.map { [("Authorization", "Bearer \($0)")] } ?? []
        for i in 0..<25 {
            let put = try await HTTP.request(.PUT, "\(baseURL)/api/cache/entries/key-\(i)", headers: auth, body: Array("value \(i)".utf8))
            #expect(put.status < 300)
        }
        for i in 0..<40 { _ = try await HTTP.request(.GET, "\(baseURL)/api/cache/entries/key-\(i)") }
    }

    /// Cards equal the API's figures (the view samples every second and `r` refreshes at once).
    func expectCardsMatchAPI(_ tmux: TUITmuxSession, _ baseURL: String) async throws {
        let expected = TUIScreen.expectedCards(try await stats(baseURL))
        try await tmux.press("r")
        try await tmux.waitForScreen("cards equal to /api/cache/stats \(expected)") { TUIScreen.mismatches(expected, in: $0).isEmpty }
    }

    /// `c`, then `y`: the question, then the counts, then zeros on the cards and in the API.
    func expectClearWorks(_ tmux: TUITmuxSession, _ baseURL: String) async throws {
        try await tmux.press("c")
        try await tmux.waitForScreen("the clear question") { $0.last?.contains("reset its statistics? [y/N]") == true }
        try await tmux.press("y")
        let screen = try await tmux.waitForScreen("the cleared counts and zero cards") { screen in
            screen.contains { $0.contains("Cleared cache: 25 memory items and 25 disk items removed") }
                && TUIScreen.card("Memory items", in: screen) == "0" && TUIScreen.card("Total requests", in: screen) == "0"
        }
        #expect(TUIScreen.card("Disk items", in: screen) == "0")
        let after = try await stats(baseURL)
        #expect((after["memory_items"] as? NSNumber)?.intValue == 0)
        #expect((after["total_requests"] as? NSNumber)?.intValue == 0)
    }

    /// After a resize every row fits, the header, tabs, cards and footer are all there.
    func expectWholeLayout(_ tmux: TUITmuxSession, width: Int, height: Int) async throws {
        try await tmux.resize(width: width, height: height)
        let screen = try await tmux.waitForScreen("the layout at \(width)x\(height)") { screen in
            screen.count == height && screen[0].hasPrefix(" monitord ") && screen[0].contains("live")
                && screen[1].contains("[cache ● ok]") && TUIScreen.card("Memory items", in: screen) != nil
                && (screen.last?.contains("q quit") == true || screen.last?.contains("Cleared") == true)
        }
        for line in screen { #expect(line.count <= width) }
        #expect(screen.contains { $0.hasPrefix("── Trends") })
        #expect(screen.contains { $0.hasPrefix("── Alerts") })
        #expect(!TUIScreen.hasEscapeGarbage(screen))
    }

    /// `q`: the shell prompt is back, the command exited 0, and the terminal is in cooked mode.
    func expectCleanExit(_ tmux: TUITmuxSession) async throws {
        try await tmux.press("q")
        try await tmux.waitForScreen("the shell prompt after q") { $0.last(where: { !$0.isEmpty }) == TUITmuxSession.prompt.trimmingCharacters(in: .whitespaces) || $0.last(where: { !$0.isEmpty }) == TUITmuxSession.prompt }
        try await tmux.typeLine("echo \"exit=$?\"; echo \"modes=$(stty -a | tr '\\n' ' ' | grep -o -- '-\\?icanon\\|-\\?echo \\|-\\?isig' | tr '\\n' ',')\"")
        let screen = try await tmux.waitForScreen("the exit status and stty") { screen in
            screen.contains { $0.hasPrefix("exit=") } && screen.contains { $0.hasPrefix("modes=") }
        }
        #expect(screen.contains("exit=0"))
        // Cooked mode again: canonical input, echo and signals from the keyboard.
        let modes = Set((screen.first { $0.hasPrefix("modes=") } ?? "").dropFirst(6).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        #expect(modes == ["icanon", "isig", "echo"])
        #expect(!TUIScreen.hasEscapeGarbage(screen))
    }

    @Test func theTUISinkInsideTheDaemon() async throws {
        let directory = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try MonitordProcess.freePort()
        let config = """
            monitord: { log_level: info }
            sources:
              cache: { type: cache, interval: 1s, cache_dir: \(directory.path)/cache }
              internal: { type: internal, interval: 1s }
            sinks:
              api: { type: http, host: 127.0.0.1, port: \(port) }
              terminal: { type: tui, refresh: 500ms, source: cache }
            """
        try config.write(to: directory.appendingPathComponent("monitord.yaml"), atomically: true, encoding: .utf8)
        try await TUITmuxSession.with(width: 100, height: 30, directory: directory) { tmux in
            try await tmux.typeLine("\(MonitordProcess.binary.path) run -c monitord.yaml")
            let baseURL = "http://127.0.0.1:\(port)"
            try await waitFor("the daemon to serve", timeout: .seconds(30)) { (try? await HTTP.request(.GET, "\(baseURL)/health")) != nil }
            let first = try await tmux.waitForScreen("the view") { TUIScreen.card("Memory items", in: $0) != nil }
            #expect(first[0].contains("in-process"))
            // The daemon logs while the view is up; the lines show inside the view, not over it.
            try await traffic(baseURL)
            try await expectCardsMatchAPI(tmux, baseURL)
            let screen = try await tmux.capture()
            #expect(screen[0].hasPrefix(" monitord "))
            #expect(!screen.contains { $0.hasPrefix("20") && $0.contains(" info ") && !$0.hasPrefix(" ") })
            try await expectClearWorks(tmux, baseURL)
            try await expectWholeLayout(tmux, width: 72, height: 22)
            try await expectWholeLayout(tmux, width: 130, height: 42)
            try await expectCleanExit(tmux)
            // q stopped the daemon gracefully, and its logs were replayed to the terminal on the way out.
            let after = try await tmux.capture()
            #expect(after.contains { $0.contains("monitord stopped") })
            #expect((try? await HTTP.request(.GET, "\(baseURL)/health", timeout: .seconds(2))) == nil)
        }
    }

    @Test func topAgainstARemoteDaemon() async throws {
        let daemon = try MonitordProcess(config: """
            monitord: { log_level: warn }
            sources:
              cache: { type: cache, interval: 1s, cache_dir: "{{dir}}/cache" }
              internal: { type: internal, interval: 1s }
            sinks:
              api: { type: http, host: 127.0.0.1, port: {{port}}, auth_token: s3cret }
            """)
        try await daemon.waitUntilServing()
        try await traffic(daemon.baseURL, token: "s3cret")
        try await TUITmuxSession.with(width: 100, height: 30, directory: daemon.directory) { tmux in
            try await tmux.typeLine("MONITORD_API_TOKEN=s3cret \(MonitordProcess.binary.path) top --url \(daemon.baseURL) --interval 0.5")
            let first = try await tmux.waitForScreen("the remote view") { TUIScreen.card("Memory items", in: $0) != nil && $0[0].contains("● live") }
            #expect(first[0].contains(daemon.baseURL))
            try await expectCardsMatchAPI(tmux, daemon.baseURL)
            try await expectClearWorks(tmux, daemon.baseURL)
            try await expectWholeLayout(tmux, width: 80, height: 24)
            try await expectCleanExit(tmux)
            #expect(try await daemon.stop() == 0)
        }
    }

    @Test func topShowsTheSystemSourceFromItsDeclaredFields() async throws {
        let daemon = try MonitordProcess(config: """
            monitord: { log_level: warn }
            sources:
              cache: { type: cache, interval: 1s, cache_dir: "{{dir}}/cache" }
              system: { type: system, interval: 500ms }
            sinks:
              api: { type: http, host: 127.0.0.1, port: {{port}} }
            """)
        try await daemon.waitUntilServing()
        try await TUITmuxSession.with(width: 110, height: 32, directory: daemon.directory) { tmux in
            try await tmux.typeLine("\(MonitordProcess.binary.path) top --url \(daemon.baseURL) --source system --interval 0.5")
            let screen = try await tmux.waitForScreen("the system source's cards") {
                TUIScreen.card("Resident memory", in: $0) != nil && TUIScreen.card("Free on cache", in: $0) != nil && $0[0].contains("● live")
            }
            let stats = try await HTTP.request(.GET, "\(daemon.baseURL)/api/system/stats").json()
            let threads = try #require(TUIScreen.card("Threads", in: screen))
            #expect(Int(threads.replacingOccurrences(of: ",", with: "")) != nil, "Threads card: \(threads)")
            let free = try #require(TUIScreen.card("Free on cache", in: screen))
            let ratio = try #require(stats["cache_fs_free_ratio"]?.doubleValue)
            // Other writers on this disk move the figure between the view's sample and this request.
            let shown = try #require(Double(free.dropLast()), "Free on cache: \(free)")
            #expect(free.hasSuffix("%") && abs(shown - ratio * 100) < 0.5, "Free on cache \(free), API \(ratio)")
            try await expectCleanExit(tmux)
            #expect(try await daemon.stop() == 0)
        }
    }

    @Test func topReconnectsByItselfAndSaysSo() async throws {
        let port = try MonitordProcess.freePort()
        let directory = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await TUITmuxSession.with(width: 100, height: 30, directory: directory) { tmux in
            // Nothing listens yet: the header says so and the view keeps trying.
            try await tmux.typeLine("\(MonitordProcess.binary.path) top --url http://127.0.0.1:\(port)")
            try await tmux.waitForScreen("a retry in the header") { $0[0].contains("reconnecting") || $0[0].contains("disconnected") }
            let config = """
                sources:
                  cache: { type: cache, interval: 1s, cache_dir: \(directory.path)/cache }
                sinks:
                  api: { type: http, host: 127.0.0.1, port: \(port) }
                """
            try config.write(to: directory.appendingPathComponent("daemon.yaml"), atomically: true, encoding: .utf8)
            let daemon = Process()
            daemon.executableURL = MonitordProcess.binary
            daemon.arguments = ["run", "-c", directory.appendingPathComponent("daemon.yaml").path]
            daemon.standardOutput = FileHandle.nullDevice
            daemon.standardError = FileHandle.nullDevice
            try daemon.run()
            defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
            try await tmux.waitForScreen("live after the daemon started", timeout: .seconds(30)) { $0[0].contains("● live") && TUIScreen.card("Memory items", in: $0) != nil }
            kill(daemon.processIdentifier, SIGTERM)
            try await tmux.waitForScreen("the drop noticed") { $0[0].contains("reconnecting") || $0[0].contains("disconnected") }
            try await expectCleanExit(tmux)
        }
    }

    @Test func topWithoutATerminalSaysToUseOnce() async throws {
        let result = try await MonitordProcess.runToCompletion(["top", "--url", "http://127.0.0.1:1"])
        #expect(result.status == 1)
        #expect(result.stderr == "monitord top: stdout is not a terminal; use --once for a plain-text snapshot\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func topOnceOnUnreachableDaemonFailsWithOneLine() async throws {
        let port = try MonitordProcess.freePort()
        let result = try await MonitordProcess.runToCompletion(["top", "--once", "--url", "http://127.0.0.1:\(port)"])
        #expect(result.status == 1)
        #expect(result.stderr == "monitord top: cannot read http://127.0.0.1:\(port): connection refused\n")
    }

    @Test func topRejectsABadURL() async throws {
        let result = try await MonitordProcess.runToCompletion(["top", "--once", "--url", "localhost:8000"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--url must be an http:// or https:// URL such as http://127.0.0.1:8000, found \"localhost:8000\""))
    }

    @Test func topOncePrintsAPlainSnapshotWithTheAPIsFigures() async throws {
        let daemon = try MonitordProcess(config: """
            monitord: { log_level: warn }
            sources:
              cache: { type: cache, interval: 1s, cache_dir: "{{dir}}/cache" }
              internal: { type: internal, interval: 1s }
            sinks:
              api: { type: http, host: 127.0.0.1, port: {{port}} }
            """)
        try await daemon.waitUntilServing()
        try await traffic(daemon.baseURL)
        let expected = TUIScreen.expectedCards(try await stats(daemon.baseURL))
        let result = try await MonitordProcess.runToCompletion(["top", "--once", "--url", daemon.baseURL], environment: ["COLUMNS": "100"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}"))
        let lines = result.stdout.components(separatedBy: "\n")
        #expect(TUIScreen.mismatches(expected, in: lines).isEmpty, "\(result.stdout)")
        #expect(lines.allSatisfy { $0.count <= 100 })
        for section in ["── cache", "── Trends", "── Alerts", "── Pipeline"] {
            #expect(lines.contains { $0.hasPrefix(section) }, "no \(section) in\n\(result.stdout)")
        }
        #expect(try await daemon.stop() == 0)
    }

    @Test func theTUISinkWithoutATerminalStopsTheDaemonWithOneLine() async throws {
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "{{dir}}/cache" }
            sinks:
              terminal: { type: tui }
            """)
        try await waitFor("monitord to exit", timeout: .seconds(30)) { !daemon.process.isRunning }
        #expect(daemon.process.terminationStatus != 0)
        #expect(daemon.stderr.contains("monitord: sinks.terminal: the tui sink needs a terminal on stdout, but stdout is not a terminal; run monitord in a terminal"))
        #expect(!daemon.stderr.contains("sinks.terminal: sinks.terminal"))
    }

    /// A mistake in the file: refused as a config error (78) at its line, as `validate` refuses it.
    @Test func theTUISinkNamingAMissingSourceStopsTheDaemonWithOneLine() async throws {
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "{{dir}}/cache" }
            sinks:
              terminal: { type: tui, source: cahce }
            """)
        try await waitFor("monitord to exit", timeout: .seconds(30)) { !daemon.process.isRunning }
        #expect(daemon.process.terminationStatus == 78)
        #expect(daemon.stderr.contains("monitord.yaml:4:34: sinks.terminal.source: no source named \"cahce\" (did you mean \"cache\"?)\n"))
    }
}

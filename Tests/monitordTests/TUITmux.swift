import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A tmux server of the test's own (a private socket), running one shell in one window, driven
/// like a user drives a terminal: keys in, screen out.
final class TUITmuxSession: Sendable {
    /// The `-L` socket name, unique per session so tests never touch another tmux server.
    let socket: String
    /// The server's process id, to be sure it is gone at the end.
    private let serverPID: Mutex<Int32?> = Mutex(nil)
    /// The shell prompt, set so a capture can tell when the shell is back.
    static let prompt = "tui-test$ "

    private init(socket: String) {
        self.socket = socket
    }

    /// A new server with one window of `width` x `height` running a shell in `directory`.
    static func start(width: Int, height: Int, directory: URL) async throws -> TUITmuxSession {
        try ensureTmux()
        let session = TUITmuxSession(socket: "monitord-tui-\(UUID().uuidString.prefix(8))")
        let shell = "env PS1='\(prompt)' TERM=xterm-256color bash --norc --noprofile"
        try await session.run(["new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), "-c", directory.path, shell])
        let pid = try await session.run(["display-message", "-p", "#{pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        session.serverPID.withLock { $0 = Int32(pid) }
        return session
    }

    /// Processes whose parent is `pid`, from /proc.
    static func children(of pid: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let child = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "pid (comm) state": the parent id.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == pid ? child : nil
        }
    }

    /// Runs `body` with a fresh session and ends the session afterwards, whatever happens.
    static func with<T>(width: Int, height: Int, directory: URL, _ body: (TUITmuxSession) async throws -> T) async throws -> T {
        let session = try await start(width: width, height: height, directory: directory)
        do {
            let result = try await body(session)
            await session.kill()
            return result
        } catch {
            await session.kill()
            throw error
        }
    }

    /// tmux is a Debian package; install it when the machine lacks it.
    static func ensureTmux() throws {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") { return }
        let install = Process()
        install.executableURL = URL(fileURLWithPath: "/bin/sh")
        install.arguments = ["-c", "apt-get install -y -q tmux >/dev/null 2>&1 || (apt-get update -q && apt-get install -y -q tmux) >/dev/null 2>&1"]
        try install.run()
        install.waitUntilExit()
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") else {
            throw MonitordProcessError("tmux is not installed and apt-get could not install it")
        }
    }

    @discardableResult
    func run(_ arguments: [String]) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: file) }
        let pid = try Self.spawn(["/usr/bin/tmux", "-L", socket] + arguments, output: file.path)
        var status: Int32 = 0
        try await waitFor("tmux \(arguments.first ?? "")", timeout: .seconds(10)) { waitpid(pid, &status, WNOHANG) == pid }
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out: the C macros do not reach Swift.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == 0 else {
            throw MonitordProcessError("tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    /// posix_spawn rather than Foundation's Process: Process learns of an exit through a socket the
    /// child inherits, and the server `new-session` forks keeps that socket open forever.
    static func spawn(_ argv: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let arguments = argv.map { strdup($0) } + [nil]
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            arguments.forEach { free($0) }
            environment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, argv[0], &actions, nil, arguments, environment)
        guard result == 0 else { throw MonitordProcessError("cannot start \(argv[0]): error \(result)") }
        return pid
    }

    /// Types `text` then Enter.
    func typeLine(_ text: String) async throws {
        try await run(["send-keys", "-t", "main", "-l", text])
        try await run(["send-keys", "-t", "main", "Enter"])
    }

    /// Presses keys by tmux name (`q`, `Right`, `Tab`).
    func press(_ keys: String...) async throws {
        try await run(["send-keys", "-t", "main"] + keys)
    }

    /// The visible screen as plain text, one string per row.
    func capture() async throws -> [String] {
        var lines = try await run(["capture-pane", "-t", "main", "-p"]).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    func resize(width: Int, height: Int) async throws {
        try await run(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
    }

    /// Polls the screen until `condition` holds; the failure names what was awaited and shows the screen.
    @discardableResult
    func waitForScreen(_ what: String, timeout: Duration = .seconds(20), _ condition: ([String]) -> Bool) async throws -> [String] {
        let deadline = ContinuousClock.now + timeout
        var screen: [String] = []
        while ContinuousClock.now < deadline {
            screen = try await capture()
            if condition(screen) { return screen }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw MonitordProcessError("timed out after \(timeout) waiting for \(what); the screen was:\n" + screen.joined(separator: "\n"))
    }

    /// Ends this test's tmux server and everything it runs. Commands still running in the shell
    /// are killed by id first: a daemon may ignore the SIGHUP that closing the pane sends.
    func kill() async {
        if let text = try? await run(["display-message", "-p", "#{pane_pid}"]), let shell = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            for child in Self.children(of: shell) { Glibc.kill(child, SIGKILL) }
        }
        _ = try? await run(["kill-server"])
        if let pid = serverPID.withLock({ $0 }), Glibc.kill(pid, 0) == 0 { Glibc.kill(pid, SIGKILL) }
        try? FileManager.default.removeItem(atPath: "/tmp/tmux-\(getuid())/\(socket)")
    }
}

/// Reads the dashboard's metric cards off a captured screen: ` Memory items   1,234   Disk items ...`.
enum TUIScreen {
    /// The text after `label` on a card row (a row that also holds other cards), up to the
    /// next run of two spaces.
    static func card(_ label: String, in screen: [String]) -> String? {
        for line in screen {
            guard let range = line.range(of: " " + label + " ") else { continue }
            let rest = line[range.upperBound...].drop { $0 == " " }
            let value = rest.range(of: "  ").map { rest[..<$0.lowerBound] } ?? rest
            // Chart rows carry a label too; a card's value starts right after the padding.
            if let first = value.first, first.isNumber || first == "-" { return String(value) }
        }
        return nil
    }

    /// `1234567` → `1,234,567`, as the view groups counts.
    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }

    /// The cards the API's `/api/cache/stats` answer should produce, by label.
    static func expectedCards(_ stats: [String: Any]) -> [String: String] {
        func int(_ name: String) -> Int { (stats[name] as? NSNumber)?.intValue ?? -1 }
        func double(_ name: String) -> Double { (stats[name] as? NSNumber)?.doubleValue ?? .nan }
        return [
            "Memory items": grouped(int("memory_items")),
            "Disk items": grouped(int("disk_items")),
            "Hit rate": String(format: "%.1f%%", double("hit_rate") * 100),
            "Cache size": String(format: "%.2f MB", double("cache_size_mb")),
            "Expired entries": grouped(int("expired_entries")),
            "Total requests": grouped(int("total_requests")),
        ]
    }

    /// Labels whose value on screen differs from the expected one.
    static func mismatches(_ expected: [String: String], in screen: [String]) -> [String] {
        expected.keys.sorted().filter { card($0, in: screen) != expected[$0] }
    }

    /// Escape debris a broken restore leaves on a plain-text capture.
    static func hasEscapeGarbage(_ screen: [String]) -> Bool {
        screen.contains { $0.contains("\u{1B}") || $0.contains("[?1049") || $0.contains("[?25") || $0.contains("^[") || $0.contains("[0m") }
    }
}

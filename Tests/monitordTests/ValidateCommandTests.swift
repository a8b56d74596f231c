import Foundation
import Testing

/// `monitord validate` on the built binary, as a user runs it.
@Suite("monitord validate")
struct ValidateCommandTests {
    static var defaultConfig: String { MonitordProcess.repositoryRoot.appendingPathComponent("config/monitord.yaml").path }

    /// Writes `text` to a scratch `monitord.yaml` and validates it.
    static func validate(_ text: String, environment: [String: String] = [:]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let dir = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("monitord.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try await MonitordProcess.runToCompletion(["validate", "-c", "monitord.yaml"], in: dir, environment: environment)
    }

    @Test("the default config is valid")
    func defaultIsValid() async throws {
        let result = try await MonitordProcess.runToCompletion(["validate", "-c", Self.defaultConfig])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("valid (3 sources, 3 sinks, disabled: terminal)"))
    }

    @Test("the embedded default is config/monitord.yaml, byte for byte")
    func embeddedDefault() async throws {
        let result = try await MonitordProcess.runToCompletion(["validate", "--print-default"])
        #expect(result.status == 0)
        #expect(result.stdout == (try String(contentsOfFile: Self.defaultConfig, encoding: .utf8)))
    }

    @Test("with no config anywhere, the embedded default is used")
    func lookupFallsBackToEmbedded() async throws {
        let result = try await MonitordProcess.runToCompletion(["validate"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("<embedded default>: valid"))
    }

    @Test("$MONITORD_CONFIG is looked up before ./monitord.yaml")
    func environmentLookup() async throws {
        let dir = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "sinks: { log: { type: log } }\n".write(to: dir.appendingPathComponent("monitord.yaml"), atomically: true, encoding: .utf8)
        let other = dir.appendingPathComponent("other.yaml")
        try "sources: { internal: { type: internal } }\n".write(to: other, atomically: true, encoding: .utf8)
        let viaEnv = try await MonitordProcess.runToCompletion(["validate"], in: dir, environment: ["MONITORD_CONFIG": other.path])
        #expect(viaEnv.stdout.hasPrefix("\(other.path): valid (1 sources"))
        let viaCwd = try await MonitordProcess.runToCompletion(["validate"], in: dir)
        #expect(viaCwd.stdout.hasPrefix("monitord.yaml: valid (0 sources, 1 sinks"))
    }

    /// One broken config per rule: the error line names line and column and how to fix it.
    @Test("each kind of mistake exits 78 with line, column and a fix", arguments: [
        ("misspelled key", "sources:\n  cache:\n    type: cache\n    cache_dri: /tmp/x\n",
         #"monitord.yaml:4:5: sources.cache.cache_dri: unknown field "cache_dri" (did you mean "cache_dir"?)"#),
        ("bad duration", "sources:\n  cache:\n    type: cache\n    interval: 5 seconds\n",
         "monitord.yaml:4:15: sources.cache.interval:"),
        ("unknown sink type", "sinks:\n  web:\n    type: htttp\n",
         #"monitord.yaml:3:11: sinks.web.type: unknown sink type "htttp" (did you mean "http"?)"#),
        ("unset variable", "sinks:\n  api: { type: http, port: \"${MONITORD_TEST_UNSET_PORT}\" }\n",
         "monitord.yaml:2:28: sinks.api.port: environment variable MONITORD_TEST_UNSET_PORT is not set"),
        ("duplicate key", "sources:\n  cache: { type: cache }\n  cache: { type: cache }\n",
         #"monitord.yaml:3:3: sources.cache: duplicate key "cache" (first at line 2)"#),
        ("input naming no source", "sources:\n  cache: { type: cache }\nsinks:\n  log: { type: log, inputs: [cahce] }\n",
         #"monitord.yaml:4:30: sinks.log.inputs[0]: "cahce" matches no source (did you mean "cache"?)"#),
        ("YAML syntax error", "sources:\n  cache: { type: cache\n", "monitord.yaml:"),
        // Int.max once passed validate and then trapped at start.
        ("number out of range", "sources:\n  cache:\n    type: cache\n    max_memory_size: 9223372036854775807\n",
         "monitord.yaml:4:22: sources.cache.max_memory_size: max_memory_size must be between 0 and 10,000,000, found 9,223,372,036,854,775,807"),
        ("interval too long", "sources:\n  cache:\n    type: cache\n    interval: 400d\n",
         "monitord.yaml:4:15: sources.cache.interval: interval must be at most 1d, found 400d"),
        ("history too long", "monitord:\n  history: 100000000\n",
         "monitord.yaml:2:12: monitord.history: history must be between 1 and 1,000,000, found 100,000,000"),
    ])
    func eachMistake(name: String, text: String, expected: String) async throws {
        let result = try await Self.validate(text)
        #expect(result.status == 78, "\(name): \(result.stderr)")
        let first = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.hasPrefix(expected), "\(name): \(first)")
        // Every error line carries file:line:column.
        #expect(first.range(of: #"^monitord\.yaml:\d+:\d+: "#, options: .regularExpression) != nil, "\(name): \(first)")
    }

    @Test("one file holding several mistakes lists all of them")
    func allErrorsListed() async throws {
        let text = """
            monitord:
              shutdown_timeout: 10 parsecs
            sources:
              cache:
                type: cache
                max_memroy_size: 10
            sinks:
              api: { type: http, port: "${MONITORD_TEST_UNSET_PORT}" }
              web: { type: htttp }
              log: { type: log, inputs: [nothing] }
            """
        let result = try await Self.validate(text + "\n")
        #expect(result.status == 78)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let located = lines.filter { $0.hasPrefix("monitord.yaml:") }
        #expect(located.count == 5, "\(result.stderr)")
        for (line, fragment) in [(2, "shutdown_timeout"), (6, "max_memroy_size"), (8, "MONITORD_TEST_UNSET_PORT"), (9, "htttp"), (10, "nothing")] {
            #expect(located.contains { $0.hasPrefix("monitord.yaml:\(line):") && $0.contains(fragment) }, "line \(line) \(fragment): \(result.stderr)")
        }
        #expect(lines.last == "5 errors in monitord.yaml")
    }

    @Test("a missing -c file is one line naming it, exit 66")
    func missingFile() async throws {
        let result = try await MonitordProcess.runToCompletion(["validate", "-c", "/nonexistent/monitord.yaml"])
        #expect(result.status == 66)
        #expect(result.stderr == "config file /nonexistent/monitord.yaml (from -c) does not exist\n")
    }

    @Test("a directory given as -c is refused with one line")
    func directoryAsConfig() async throws {
        let result = try await MonitordProcess.runToCompletion(["run", "-c", "/tmp"])
        #expect(result.status == 66)
        #expect(result.stderr == "config file /tmp (from -c) is a directory, not a YAML file\n")
    }

    @Test("a device, or a file too large to be a config, is refused before it is read")
    func deviceOrHugeFile() async throws {
        let device = try await MonitordProcess.runToCompletion(["validate", "-c", "/dev/zero"])
        #expect(device.status == 66)
        #expect(device.stderr == "config file /dev/zero (from -c) is not a regular file (a device, a pipe or a socket)\n")
        let dir = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let huge = dir.appendingPathComponent("huge.yaml")
        FileManager.default.createFile(atPath: huge.path, contents: nil)
        let handle = try FileHandle(forWritingTo: huge)
        try handle.truncate(atOffset: 17 << 20)
        try handle.close()
        let big = try await MonitordProcess.runToCompletion(["validate", "-c", huge.path])
        #expect(big.status == 66)
        #expect(big.stderr.contains("is 17 MiB; a config larger than 16 MiB is refused"), "\(big.stderr)")
    }
}

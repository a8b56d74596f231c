import Foundation
import MonitorKitCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The log sink in the real binary: ECS lines in a file that logrotate can rotate with SIGHUP.
@Suite(.serialized) struct LogEndToEndTests {
    static func lines(_ path: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func renameThenHangupMovesNewLinesToAFreshFile() async throws {
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, interval: 100ms, cache_dir: "{{dir}}/cache" }
            sinks:
              api: { type: http, host: 127.0.0.1, port: {{port}} }
              log: { type: log, path: "{{dir}}/events.log", inputs: [cache], flush_interval: 50ms }
            """)
        try await daemon.waitUntilServing()
        let path = daemon.directory.appendingPathComponent("events.log").path
        try await waitFor("sample lines in the log") { Self.lines(path).count >= 3 }
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        for line in Self.lines(path) {
            let object = try #require(try JSONParser.parse(line).objectValue)
            #expect(Array(object.names.prefix(3)) == ["@timestamp", "log.level", "message"])
            #expect(object["event.dataset"] == "monitord.cache")
            #expect(object["cache"]?.objectValue?["recent_hit_rate"] != nil)
        }

        // What logrotate does: rename, then HUP.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        kill(daemon.process.processIdentifier, SIGHUP)
        try await waitFor("lines in the reopened file") { Self.lines(path).count >= 3 }
        #expect(daemon.process.isRunning, "SIGHUP must not stop monitord")
        let rotated = Self.lines(path + ".1").count
        try await waitFor("more lines in the new file") { Self.lines(path).count >= 6 }
        #expect(Self.lines(path + ".1").count == rotated, "nothing more goes to the renamed file")
        #expect(try await daemon.stop() == 0)
        // Shutdown flushed whole lines only.
        for line in Self.lines(path) + Self.lines(path + ".1") {
            #expect(throws: Never.self) { try JSONParser.parse(line) }
        }
    }

    @Test func ownLogsAreECSLinesWithJSONFormat() async throws {
        let daemon = try MonitordProcess(config: """
            monitord: { log_format: json }
            sources:
              cache: { type: cache, interval: 1s, cache_dir: "{{dir}}/cache" }
            sinks:
              api: { type: http, host: 127.0.0.1, port: {{port}} }
            """)
        try await daemon.waitUntilServing()
        #expect(try await daemon.stop() == 0)
        let lines = daemon.stderr.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try #require(try JSONParser.parse(String(line)).objectValue, "not JSON: \(line)")
            #expect(Array(object.names.prefix(3)) == ["@timestamp", "log.level", "message"])
            #expect(object["service.name"] == "monitord")
        }
    }
}

import Logging
import MonitorKitCore
import Testing
@testable import SinkLog

/// monitord's own log lines in the log sink's format.
@Suite struct ECSLogHandlerTests {
    struct DiskFull: Error, CustomStringConvertible { var description: String { "disk full" } }

    @Test func ownLogsAreECSLines() throws {
        var handler = ECSLogHandler(label: "monitord", logLevel: .info, metadataProvider: nil)
        handler[metadataKey: "component"] = "runtime"
        let event = LogEvent(level: .warning, message: "sink api stopped", error: DiskFull(), metadata: ["port": "8000"],
                             source: "monitord", file: #fileID, function: #function, line: #line)
        let bytes = handler.render(event, time: 1_795_000_000.5)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("}\n"))
        let line = try #require(try JSONParser.parse(bytes).objectValue)
        #expect(line.names == [
            "@timestamp", "log.level", "message", "ecs.version", "service.name", "event.kind", "event.dataset", "log.logger",
            "labels", "error.message",
        ])
        #expect(line["@timestamp"] == "2026-11-18T11:06:40.500Z")
        #expect(line["log.level"] == "warn")
        #expect(line["message"] == "sink api stopped")
        #expect(line["event.dataset"] == "monitord.daemon")
        #expect(line["log.logger"] == "monitord")
        #expect(line["labels"] == .object(["component": "runtime", "port": "8000"]))
        #expect(line["error.message"] == "disk full")
    }

    @Test func levelsUseTheLogSinkSpelling() {
        #expect(Logger.Level.allCases.map(ECSLogHandler.levelName) == ["trace", "debug", "info", "notice", "warn", "error", "critical"])
    }
}

import MonitorKitCore
import Testing
@testable import SinkTUI

@Suite struct EventJSONTests {
    @Test func anEventInJSONWritersShapeReadsBackTheSame() throws {
        let event = Fixtures.cacheEvent()
        var writer = JSONWriter()
        writer.write(event)
        let parsed = try #require(EventJSON.event(try JSONParser.parse(writer.bytes)))
        #expect(parsed.source == "cache" && parsed.name == "cache.stats" && parsed.kind == .metric && parsed.time == event.time)
        #expect(parsed.fields.names == event.fields.names)
        #expect(parsed.fields["memory_items"] == .int(120))
    }

    @Test func somethingElseIsNotAnEvent() throws {
        #expect(EventJSON.event(try JSONParser.parse("{\"source\":\"cache\",\"name\":\"x\",\"kind\":\"bogus\",\"time\":1}")) == nil)
        #expect(EventJSON.event(try JSONParser.parse("[1,2]")) == nil)
    }

    @Test func sourcesHistoryAndAlertsOfTheAPI() throws {
        let sources = EventJSON.sources(try JSONParser.parse("""
            {"sources":[{"id":"cache","type":"cache","actions":["stats","clear"],"store":true,"state":"ok"},
                        {"id":"disk","type":"cache","actions":[],"state":"failing","message":"disk full"}],
             "sinks":[{"id":"api","type":"http","state":"ok"}]}
            """))
        #expect(sources == [
            SourceEntry(id: "cache", type: "cache", state: "ok", actions: ["stats", "clear"]),
            SourceEntry(id: "disk", type: "cache", state: "failing", actions: [], lastError: "disk full"),
        ])
        var writer = JSONWriter()
        writer.writeRaw("{\"source\":\"cache\",\"count\":1,\"samples\":[")
        writer.write(Fixtures.cacheEvent())
        writer.writeRaw("]}")
        #expect(EventJSON.history(try JSONParser.parse(writer.bytes)).map(\.name) == ["cache.stats"])
        var alerts = JSONWriter()
        alerts.writeRaw("{\"count\":1,\"alerts\":[")
        alerts.write(Fixtures.alert("LowHitRate", state: "firing", severity: "warning", fingerprint: "f1").fields)
        alerts.writeRaw("]}")
        #expect(EventJSON.alerts(try JSONParser.parse(alerts.bytes)).map(\.alertname) == ["LowHitRate"])
    }

    @Test func anAPIErrorSaysWhatTheServerSaid() {
        let error = RemoteError(status: 401, path: "/api/cache/clear", body: Array("{\"error\":{\"code\":\"unauthorized\",\"message\":\"the bearer token does not match auth_token\"}}".utf8))
        #expect(error.description == "401 unauthorized: pass --token or set MONITORD_API_TOKEN (/api/cache/clear)")
        #expect(error.isUnauthorized)
        let notFound = RemoteError(status: 404, path: "/api/nope/stats", body: Array("{\"error\":{\"code\":\"not_found\",\"message\":\"no source named \\\"nope\\\"\"}}".utf8))
        #expect(notFound.description == "404 no source named \"nope\" (/api/nope/stats)")
        #expect(RemoteError(status: 502, path: "/api/sources", body: Array("<html>".utf8)).description == "502 HTTP 502 (/api/sources)")
    }

    @Test func sourceIdsArePercentEncodedInPaths() {
        #expect(RemoteAPI.sourcePath("cache", "stats") == "/api/cache/stats")
        #expect(RemoteAPI.sourcePath("my cache/1", "history?limit=5") == "/api/my%20cache%2F1/history?limit=5")
    }

    @Test func backoffDoublesUpToTenSeconds() {
        #expect((1...7).map(RemoteBackend.backoff(afterFailures:)) == [0.5, 1, 2, 4, 8, 10, 10])
    }
}

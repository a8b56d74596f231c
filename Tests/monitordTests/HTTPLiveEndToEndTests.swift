import AsyncHTTPClient
import Foundation
import MonitorKitCore
import NIOCore
import Synchronization
import Testing

/// Live parts of the HTTP API of the real binary: the event stream and /metrics.
@Suite("monitord HTTP live")
struct HTTPLiveEndToEndTests {
    /// The value of the sample line starting with `series` (name and labels).
    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("/api/events streams samples as JSON data lines, heartbeats, and drops a client that leaves")
    func eventStream() async throws {
        let daemon = try await HTTPEndToEndTests.start()
        let received = StreamText()
        let client = Task {
            let request = HTTPClientRequest(url: "\(daemon.baseURL)/api/events?source=cache")
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            received.append("status \(response.status.code)\n")
            for try await chunk in response.body { received.append(String(buffer: chunk)) }
        }
        try await waitFor("a cache.stats event and a heartbeat") {
            received.text.contains("event: cache.stats\ndata: {") && received.text.contains(": heartbeat")
        }
        #expect(received.text.hasPrefix("status 200\n"))
        let line = try #require(received.text.split(separator: "\n").first { $0.hasPrefix("data: ") })
        let event = try JSONParser.parse(String(line.dropFirst(6)))
        #expect(event["source"] == .string("cache"))
        #expect(event["fields"]?["hit_rate"] != nil)
        let clients = "monitord_http_event_stream_clients"
        #expect(Self.value(try await HTTP.request(.GET, "\(daemon.baseURL)/metrics").text, clients) == 1)
        client.cancel()
        _ = await client.result
        try await waitFor("the client to be dropped") {
            Self.value(try await HTTP.request(.GET, "\(daemon.baseURL)/metrics").text, clients) == 0
        }
        try await daemon.stop()
    }

    @Test("/metrics counts lookups by tier and stays monotonic across a stats reset")
    func metrics() async throws {
        let daemon = try await HTTPEndToEndTests.start()
        let base = daemon.baseURL
        _ = try await HTTP.request(.PUT, "\(base)/api/cache/entries/a", body: [1])
        _ = try await HTTP.request(.GET, "\(base)/api/cache/entries/a")
        _ = try await HTTP.request(.GET, "\(base)/api/cache/entries/b")
        let response = try await HTTP.request(.GET, "\(base)/metrics")
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        let hits = #"monitord_cache_lookups_total{source="cache",tier="memory",result="hit"}"#
        let misses = #"monitord_cache_lookups_total{source="cache",tier="none",result="miss"}"#
        #expect(Self.value(response.text, hits) == 1)
        #expect(Self.value(response.text, misses) == 1)
        #expect(response.text.contains("# TYPE monitord_bus_events_published_total counter"))
        #expect(try await HTTP.request(.DELETE, "\(base)/api/cache/clear").status == 200)
        let after = try await HTTP.request(.GET, "\(base)/metrics").text
        #expect(Self.value(after, hits) == 1)
        #expect(Self.value(after, misses) == 1)
        try await waitFor("scheduler figures from the internal source") {
            Self.value(try await HTTP.request(.GET, "\(base)/metrics").text, #"monitord_source_samples_total{source="cache"}"#) ?? 0 >= 1
        }
        try await daemon.stop()
    }
}

final class StreamText: Sendable {
    private let buffer = Mutex("")
    var text: String { buffer.withLock { $0 } }
    func append(_ chunk: String) { buffer.withLock { $0 += chunk } }
}

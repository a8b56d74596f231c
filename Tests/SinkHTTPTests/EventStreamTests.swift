import AsyncHTTPClient
import MonitorKitCore
import NIOCore
import Synchronization
import Testing

@testable import SinkHTTP

/// A live `/api/events` client: collects what arrives until cancelled.
final class EventStreamClient: Sendable {
    private let log = StreamLog()
    private let task: Task<Void, any Error>

    init(url: String, headers: [(String, String)] = []) {
        task = Task { [log] in
            var request = HTTPClientRequest(url: url)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            log.status(Int(response.status.code))
            for try await chunk in response.body {
                log.append(String(buffer: chunk))
            }
        }
    }

    var text: String { log.text }
    var statusCode: Int? { log.statusCode }

    /// Closes the connection, as a browser tab going away does.
    func disconnect() async {
        task.cancel()
        _ = await task.result
    }

    /// The JSON of every `data:` line so far.
    func events() throws -> [Value] {
        try text.split(separator: "\n").filter { $0.hasPrefix("data: ") }.map { try JSONParser.parse(String($0.dropFirst(6))) }
    }
}

final class StreamLog: Sendable {
    private let received = Mutex("")
    private let code = Mutex<Int?>(nil)
    var text: String { received.withLock { $0 } }
    var statusCode: Int? { code.withLock { $0 } }
    func append(_ chunk: String) { received.withLock { $0 += chunk } }
    func status(_ status: Int) { code.withLock { $0 = status } }
}

@Suite struct EventStreamTests {
    static func sseCount(_ api: SinkHarness) -> Int {
        api.runtime.bus.stats.filter { $0.id.hasPrefix("api/sse-") }.count
    }

    @Test func eventsArriveAsOneJSONObjectPerDataLine() async throws {
        try await SinkHarness.with { api async throws in
            let client = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("the stream to open") { client.text.contains(": connected") }
            #expect(client.statusCode == 200)
            await api.runtime.bus.publish(Event(source: "cache", name: "cache.cleared", kind: .event, time: 12.5, fields: [
                "memory_items": 3, "disk_items": 4, "total_items": 7, "reset_stats": true,
            ]))
            try await waitFor("the event") { client.text.contains("data: ") }
            #expect(client.text.contains("event: cache.cleared\ndata: {\"source\":\"cache\",\"name\":\"cache.cleared\",\"kind\":\"event\",\"time\":12.5,"))
            let event = try #require(try client.events().first)
            #expect(event["fields"]?["total_items"] == .int(7))
            await client.disconnect()
        }
    }

    @Test func theSourceFilterKeepsOnlyThatSource() async throws {
        try await SinkHarness.with { api async throws in
            // The alerts sink, as a daemon that has one reports it: `?source=` names components that exist.
            api.runtime.setStatus("alerts", role: .sink, type: "alerts", state: .ok)
            let client = EventStreamClient(url: api.base + "/api/events?source=alerts")
            try await waitFor("the stream to open") { client.text.contains(": connected") }
            await api.runtime.bus.publish(Event(source: "cache", name: "cache.stats", kind: .metric, fields: ["sets": 1]))
            await api.runtime.bus.publish(Event(source: "alerts", name: "alert", kind: .alert, fields: ["alertname": "X"]))
            try await waitFor("the alert") { client.text.contains("\"alertname\":\"X\"") }
            #expect(try client.events().map { $0["source"] } == [.string("alerts")])
            await client.disconnect()
        }
    }

    @Test func anIdleStreamGetsHeartbeats() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, eventsHeartbeat: .milliseconds(50))) { api async throws in
            let client = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("two heartbeats") { client.text.components(separatedBy: ": heartbeat\n\n").count >= 3 }
            await client.disconnect()
        }
    }

    @Test func aClientThatLeavesLeavesTheBus() async throws {
        try await SinkHarness.with { api async throws in
            let before = api.runtime.bus.stats.count
            let first = EventStreamClient(url: api.base + "/api/events")
            let second = EventStreamClient(url: api.base + "/api/events?source=cache")
            try await waitFor("two subscriptions") { Self.sseCount(api) == 2 }
            #expect(api.sink.streams.count == 2)
            // Each client queues like the sink itself, and a slow one loses its oldest events.
            let stream = api.runtime.bus.stats.first { $0.id == "api/sse-1" }
            #expect(stream?.whenFull == .dropOldest)
            #expect(stream?.capacity == api.subscription.buffer.maxEvents)
            await first.disconnect()
            try await waitFor("the first subscription to go") { Self.sseCount(api) == 1 }
            await second.disconnect()
            try await waitFor("every stream subscription to go") { Self.sseCount(api) == 0 && api.sink.streams.count == 0 }
            #expect(api.runtime.bus.stats.count == before)
        }
    }

    @Test func anOpenStreamDoesNotHoldUpShutdown() async throws {
        let client = try await SinkHarness.with { api async throws in
            let client = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("the stream to open") { client.text.contains(": connected") }
            return client
        }
        // with() returned: the server stopped although the stream was open; the client saw the end.
        await client.disconnect()
    }
}

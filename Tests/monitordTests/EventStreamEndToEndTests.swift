import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// `/api/events` clients that vanish, and more of them than `max_event_streams`.
@Suite("monitord event streams")
struct EventStreamEndToEndTests {
    static func config(_ extra: String = "") -> String {
        """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
          internal: { type: internal, interval: 1s }
        sinks:
          api: { type: http, port: {{port}}\(extra) }
        """
    }

    /// `monitord_http_event_stream_clients` and the summed queue capacity of the stream subscriptions.
    static func streamFigures(_ daemon: MonitordProcess) async throws -> (clients: Double?, subscriptionCapacity: Double) {
        let text = try await HTTP.request(.GET, "\(daemon.baseURL)/metrics").text
        var clients: Double?
        var capacity = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = Double(parts[1]) else { continue }
            if parts[0] == "monitord_http_event_stream_clients" { clients = value }
            if parts[0].contains("queue_capacity"), parts[0].contains("sink=\"api/sse\"") { capacity += value }
        }
        return (clients, capacity)
    }

    @Test("500 clients that open the stream and reset at once leave no client and no subscription behind")
    func abortedStreams() async throws {
        // A cap above 500, so every client gets a subscription and the cap cannot hide a leak.
        let daemon = try MonitordProcess(config: Self.config(", max_event_streams: 1000"))
        try await daemon.waitUntilServing()
        for _ in 0..<500 {
            let connection = try RawConnection(port: daemon.port)
            try connection.send("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            connection.reset()
        }
        // Converged when /metrics shows no client and the pipeline's live view (/api/internal/stats)
        // lists no stream subscription; some resets are still being processed at first. The queue
        // capacity in /metrics comes from the internal source's last sample, which a burst of 500
        // connections can delay (a sample over its timeout backs off), so it is reported, not awaited.
        var last: (clients: Double?, subscriptionCapacity: Double) = (nil, 0)
        var subscriptions: [String] = []
        do {
            try await waitFor("every aborted stream to be gone", timeout: .seconds(30)) {
                last = try await Self.streamFigures(daemon)
                subscriptions = try await HTTP.request(.GET, "\(daemon.baseURL)/api/internal/stats").json()["subscriptions"]?.objectValue?.names ?? []
                return last.clients == 0 && !subscriptions.isEmpty
                    && !subscriptions.contains { $0.contains("/sse-") }
            }
        } catch {
            let streams = subscriptions.filter { $0.contains("/sse-") }.count
            Issue.record("after 30 s: \(last.clients.map { "\($0)" } ?? "no") clients, stream queue capacity \(last.subscriptionCapacity), \(streams) stream subscriptions")
        }
        // The stream still works for the next client.
        let client = try RawConnection(port: daemon.port)
        try client.send("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        var seen = ""
        try await waitFor("a new stream to open") {
            seen += String(decoding: client.receive(waitingUpTo: 50).bytes, as: UTF8.self)
            return seen.contains(": connected")
        }
        #expect(seen.hasPrefix("HTTP/1.1 200"))
        try await daemon.stop()
    }

    @Test("beyond max_event_streams a client gets 503, and a slot frees when a client leaves")
    func streamCap() async throws {
        let daemon = try MonitordProcess(config: Self.config(", max_event_streams: 2"))
        try await daemon.waitUntilServing()
        func open() throws -> RawConnection {
            let connection = try RawConnection(port: daemon.port)
            try connection.send("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return connection
        }
        func opened(_ connection: RawConnection) async throws {
            var seen = ""
            try await waitFor("the stream to open") {
                seen += String(decoding: connection.receive(waitingUpTo: 50).bytes, as: UTF8.self)
                return seen.contains(": connected")
            }
        }
        let first = try open(), second = try open()
        try await opened(first)
        try await opened(second)
        let refused = try open().response()
        #expect(refused.status == 503)
        #expect(try refused.json()["error"]?["code"] == .string("too_many_event_streams"))
        #expect(refused.header("Retry-After") != nil)
        first.reset()
        try await waitFor("the first client's slot to free") { try await Self.streamFigures(daemon).clients == 1 }
        try await opened(try open())
        _ = second
        try await daemon.stop()
    }
}

import MonitorKitCore
import Testing

@testable import SinkHTTP

/// The edge on a running sink: Host names, the headers every answer carries, the caps.
@Suite struct EdgeTests {
    @Test func anUnknownHostGets421OnEveryRouteAndAKnownOneIsServed() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, allowedHosts: ["cache.internal"])) { api async throws in
            for path in ["/", "/health", "/metrics", "/api/cache/stats", "/openapi.yaml", "/no/such/route"] {
                let refused = try await RawHTTP.send(port: api.port, method: "GET", path: path, host: "rebind.example:8000")
                #expect(refused.status == 421, "GET \(path)")
                #expect(refused.errorCode == "misdirected_request")
                #expect(refused.header("X-Content-Type-Options") == "nosniff")
            }
            let message = try await RawHTTP.send(port: api.port, method: "GET", path: "/health", host: "rebind.example").json()
            #expect(message["error"]?["message"]?.stringValue?.contains("allowed_hosts") == true)
            #expect(try await RawHTTP.send(port: api.port, method: "GET", path: "/health", host: "cache.internal").status == 200)
            #expect(try await RawHTTP.send(port: api.port, method: "GET", path: "/health", host: "localhost:1").status == 200)
        }
    }

    @Test func everyAnswerIsMarkedInertForBrowsers() async throws {
        try await SinkHarness.with { api async throws in
            for path in ["/health", "/api/cache/stats", "/api/cache/entries/none", "/metrics", "/openapi.yaml", "/nope"] {
                let response = try await api.request("GET", path)
                #expect(response.header("X-Content-Type-Options") == "nosniff", "GET \(path)")
                #expect(response.header("Content-Security-Policy") == "sandbox; default-src 'none'; frame-ancestors 'none'", "GET \(path)")
            }
            // The dashboard keeps its own policy, on the 304 of a revalidation too.
            let page = try await api.request("GET", "/")
            let policy = try #require(page.header("Content-Security-Policy"))
            #expect(policy.contains("script-src 'sha256-"))
            let etag = try #require(page.header("ETag"))
            let revalidated = try await api.request("GET", "/", headers: [("If-None-Match", etag)])
            #expect(revalidated.status == 304)
            #expect(revalidated.header("Content-Security-Policy") == policy)
        }
    }

    @Test func beyondMaxEventStreamsAClientGets503() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxEventStreams: 1)) { api async throws in
            let first = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("the first stream to open") { first.text.contains(": connected") }
            let refused = try await api.request("GET", "/api/events")
            #expect(refused.status == 503)
            #expect(refused.errorCode == "too_many_event_streams")
            #expect(refused.header("Retry-After") == "5")
            await first.disconnect()
            try await waitFor("the slot to free") { api.sink.streams.count == 0 }
            let second = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("a stream to open again") { second.text.contains(": connected") }
            #expect(second.statusCode == 200)
            await second.disconnect()
        }
    }

    @Test func aConnectionOverTheCapIsRefusedWhileEveryOneIsMidExchange() async throws {
        var config = HTTPSinkConfig(port: 0, maxConnections: 2)
        config.stallAllowance = .seconds(600)
        try await SinkHarness.with(config) { api async throws in
            // A stream and a request whose body is still due keep both connections mid-exchange:
            // nothing can be evicted, a third is refused.
            let stream = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("the stream") { stream.text.contains(": connected") }
            let upload = try RawHTTP.open(port: api.port)
            try upload.send("PUT /api/cache/entries/due HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n")
            try await waitFor("the upload to be counted") { api.sink.limiter.receiving == 1 }
            let refused = try await RawHTTP.send(port: api.port, method: "GET", path: "/health")
            #expect(refused.status == 503)
            #expect(refused.errorCode == "too_many_connections")
            // Once the stream's client leaves, a new connection is served.
            await stream.disconnect()
            try await waitFor("a connection to be free") {
                (try? await RawHTTP.send(port: api.port, method: "GET", path: "/health").status) == 200
            }
            upload.close()
        }
    }

    /// Found by attack: streams are never evicted, so as many streams as connections locked the whole API out.
    @Test func eventStreamsLeaveHalfTheConnectionsToTheAPI() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxConnections: 4, maxEventStreams: 256)) { api async throws in
            #expect(api.sink.streams.limit == 2)
            let first = EventStreamClient(url: api.base + "/api/events")
            let second = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("two streams") { first.text.contains(": connected") && second.text.contains(": connected") }
            let third = try await RawHTTP.send(port: api.port, method: "GET", path: "/api/events")
            #expect(third.status == 503)
            #expect(third.errorCode == "too_many_event_streams")
            #expect(try await RawHTTP.send(port: api.port, method: "GET", path: "/health").status == 200)
            await first.disconnect()
            await second.disconnect()
        }
    }

    @Test func aSmallOpenFileLimitLowersTheConnectionCap() {
        #expect(ConnectionCap.of(configured: 4096, openFiles: 256) == 128)
        #expect(ConnectionCap.of(configured: 4096, openFiles: 100) == 50)
        #expect(ConnectionCap.of(configured: 4096, openFiles: 1) == 1)
        #expect(ConnectionCap.of(configured: 4096, openFiles: 1_048_576) == 4096)
        #expect(ConnectionCap.of(configured: 4096, openFiles: nil) == 4096)
    }
}

import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// Connection floods against the real binary started with a low open-file limit: idle and slow
/// clients must not starve the cache of descriptors, and are closed on time.
@Suite("monitord connection limits")
struct ConnectionLimitEndToEndTests {
    static let config = """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
        sinks:
          api: { type: http, port: {{port}}, idle_timeout: 2s, request_timeout: 1s }
        """

    /// `request` (`METHOD /path`) on a new connection, read to the end of its response.
    static func fresh(_ daemon: MonitordProcess, _ request: String, body: String = "") throws -> HTTP.Response {
        let connection = try RawConnection(port: daemon.port)
        try connection.send("\(request) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try connection.response()
    }

    @Test("more idle connections than the cap: the cache still reads and writes, and the idle ones are closed")
    func idleFlood() async throws {
        // 256 descriptors: before the cap existed, 300 idle connections took every one of them.
        let daemon = try MonitordProcess(config: Self.config, openFileLimit: 256)
        try await daemon.waitUntilServing()
        var held: [RawConnection] = []
        for _ in 0..<300 { held.append(try RawConnection(port: daemon.port)) }
        // Fresh connections (not the client library's pooled one): a write that opens a file, a read back.
        let put = try Self.fresh(daemon, "PUT /api/cache/entries/after-the-flood", body: "still here")
        #expect(put.status == 200, "\(put.text)")
        #expect(try Self.fresh(daemon, "GET /api/cache/entries/after-the-flood").text == "still here")
        let stats = try Self.fresh(daemon, "GET /api/cache/stats").json()
        #expect(stats["disk_errors"] == .int(0))
        #expect(stats["disk_items"] == .int(1))
        // The effective cap is logged with the limit it was derived from.
        #expect(daemon.stderr.contains("open-file limit 256"), "\(daemon.stderr)")
        // Nobody sends anything on the held connections: every one is closed after idle_timeout.
        var open = held
        try await waitFor("the idle connections to be closed", timeout: .seconds(30)) {
            open.removeAll { $0.receive(waitingUpTo: 0).closed }
            return open.isEmpty
        }
        try await daemon.stop()
    }

    @Test("a slowloris client sending its head a byte at a time is cut after request_timeout with 408")
    func slowloris() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let connection = try RawConnection(port: daemon.port)
        // The head never ends: a byte every 100 ms, well inside idle_timeout between bytes.
        let drip = Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 600)
        var answer: [UInt8] = []
        var closed = false
        let started = ContinuousClock.now
        for byte in drip {
            do { try connection.send([byte]) } catch { closed = true; break }
            let (bytes, end) = connection.receive(waitingUpTo: 100)
            answer += bytes
            if end { closed = true; break }
        }
        let elapsed = ContinuousClock.now - started
        #expect(closed, "the server kept a never-ending head open for \(elapsed)")
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
        #expect(text.contains("\"code\":\"request_timeout\""), "\(text)")
        // A well-behaved client is served meanwhile and after.
        #expect(try await HTTP.request(.GET, "\(daemon.baseURL)/health").status == 200)
        try await daemon.stop()
    }

    @Test("a body that stops arriving is cut after request_timeout with 408, and nothing is stored")
    func stalledBody() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let connection = try RawConnection(port: daemon.port)
        try connection.send("PUT /api/cache/entries/half HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n0123456789")
        let answer = try connection.response(within: 10)
        #expect(answer.status == 408)
        #expect(try answer.json()["error"]?["code"] == .string("request_timeout"))
        #expect(try Self.fresh(daemon, "GET /api/cache/entries/half").status == 404)
        try await daemon.stop()
    }

    /// Found by attack: a garbled chunked body was a 500 with an error-level log line, as if the
    /// server had failed; a client breaking off its body logged one too.
    @Test("a garbled or broken-off body is the client's 400, not a logged server error")
    func garbledBodyIsTheClientsFault() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let garbled = try RawConnection(port: daemon.port)
        try garbled.send("PUT /api/cache/entries/k HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n")
        #expect(try garbled.response(within: 10).status == 400)
        let broken = try RawConnection(port: daemon.port)
        try broken.send("PUT /api/cache/entries/k HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc")
        broken.reset()
        #expect(try Self.fresh(daemon, "GET /api/cache/entries/k").status == 404)
        let stats = try Self.fresh(daemon, "GET /api/cache/stats").json()
        #expect(stats["disk_errors"] == .int(0))
        _ = try await daemon.stop()
        #expect(!daemon.stderr.contains("error"), "\(daemon.stderr)")
    }

    /// Found by attack: a connection counted as busy from its head on, so as many stalled bodies as
    /// `max_connections` refused every new client until request_timeout, again and again.
    @Test("stalled bodies on every connection slot do not lock new clients out")
    func stalledBodiesAreEvictable() async throws {
        let daemon = try MonitordProcess(config: """
            sources:
              cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
            sinks:
              api: { type: http, port: {{port}}, max_connections: 4, max_event_streams: 2, request_timeout: 60s }
            """)
        try await daemon.waitUntilServing()
        var stalled: [RawConnection] = []
        for index in 0..<4 {
            let connection = try RawConnection(port: daemon.port)
            try connection.send("PUT /api/cache/entries/stalled-\(index) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\n")
            stalled.append(connection)
        }
        // Long before request_timeout (60 s), a new client gets through by closing a stalled one.
        try await waitFor("a new client to be served", timeout: .seconds(20)) {
            (try? Self.fresh(daemon, "GET /health").status) == 200
        }
        // The room was made by closing a stalled one (the server's close reaches the client a little later).
        try await waitFor("a stalled connection to be closed", timeout: .seconds(10)) {
            stalled.contains { $0.receive(waitingUpTo: 50).closed }
        }
        #expect(try Self.fresh(daemon, "GET /api/cache/entries/stalled-0").status == 404)
        try await daemon.stop()
    }
}

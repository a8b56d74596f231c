import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// The HTTP edge of the real binary against hostile pages and clients: DNS rebinding, stored
/// script, protected mode.
@Suite("monitord HTTP edge")
struct EdgeEndToEndTests {
    static let config = """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
        sinks:
          api: { type: http, port: {{port}}, allowed_hosts: ["cache.internal", "*.svc.cluster.local"] }
        """

    static func start(_ config: String = config) async throws -> MonitordProcess {
        let daemon = try MonitordProcess(config: config)
        try await daemon.waitUntilServing()
        return daemon
    }

    /// `method path` with exactly this `Host` header, on a fresh connection.
    static func raw(_ daemon: MonitordProcess, _ method: String, _ path: String, host: String) throws -> HTTP.Response {
        let connection = try RawConnection(port: daemon.port)
        try connection.send("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        return try connection.response()
    }

    @Test("a page on a rebound name cannot clear the cache: 421, nothing cleared")
    func dnsRebinding() async throws {
        let daemon = try await Self.start()
        let base = daemon.baseURL
        #expect(try await HTTP.request(.PUT, "\(base)/api/cache/entries/k", body: Array("kept".utf8)).status == 200)
        let clear = try Self.raw(daemon, "DELETE", "/api/cache/clear", host: "evil.example:8000")
        #expect(clear.status == 421)
        #expect(try clear.json()["error"]?["code"] == .string("misdirected_request"))
        #expect(clear.header("Content-Type") == "application/json")
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/entries/k").text == "kept")
        #expect(try await HTTP.request(.GET, "\(base)/api/cache/stats").json()["disk_items"] == .int(1))
        // Every route, the page and the probe included, and a name that only looks local.
        for (path, host) in [("/", "evil.example"), ("/health", "EVIL.example:80"), ("/api/cache/entries/k", "127.0.0.1.evil.example"),
                             ("/nope", "localhost.evil.example"), ("/", "svc.cluster.local")] {
            #expect(try Self.raw(daemon, "GET", path, host: host).status == 421, "GET \(path) with Host \(host)")
        }
        // The names it is known by: loopback names, IP literals, allowed_hosts (any case, any port).
        for host in ["localhost:\(daemon.port)", "app.localhost", "127.0.0.1:\(daemon.port)", "[::1]:\(daemon.port)", "10.1.2.3",
                     "Cache.Internal:8000", "monitord.ns.svc.cluster.local"] {
            #expect(try Self.raw(daemon, "GET", "/api/cache/entries/k", host: host).status == 200, "Host \(host)")
        }
        try await daemon.stop()
    }

    @Test("a stored HTML page is served inert: nosniff, sandbox CSP, as an attachment, bytes intact")
    func storedScript() async throws {
        let daemon = try await Self.start()
        let entries = "\(daemon.baseURL)/api/cache/entries/"
        let page = Array("<script>fetch('/api/cache/clear', {method: 'DELETE'})</script>".utf8)
        for type in ["text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/javascript",
                     "text/plain, text/html", "TEXT/HTML; charset=utf-8", "application/rss+xml", "video/vnd+xml"] {
            #expect(try await HTTP.request(.PUT, entries + "page", headers: [("X-Meta-Content-Type", type)], body: page).status == 200)
            let hit = try await HTTP.request(.GET, entries + "page")
            #expect(hit.status == 200)
            #expect(hit.body == page, "nothing lost for \(type)")
            #expect(hit.header("Content-Type") == type)
            #expect(hit.header("X-Content-Type-Options") == "nosniff")
            #expect(hit.header("Content-Security-Policy")?.contains("sandbox") == true)
            #expect(hit.header("Content-Disposition") == "attachment", "\(type) is a download")
        }
        // Media and data stay viewable in the browser, with the same protective headers.
        for type in ["image/png", "audio/wav", "application/json", "text/plain; charset=utf-8"] {
            #expect(try await HTTP.request(.PUT, entries + "media", headers: [("X-Meta-Content-Type", type)], body: [1, 2]).status == 200)
            let hit = try await HTTP.request(.GET, entries + "media")
            #expect(hit.header("Content-Disposition") == nil, "\(type) is shown inline")
            #expect(hit.header("X-Content-Type-Options") == "nosniff")
            #expect(hit.header("Content-Security-Policy")?.contains("sandbox") == true)
        }
        // Errors of the data plane carry them too.
        let miss = try await HTTP.request(.GET, entries + "absent")
        #expect(miss.status == 404)
        #expect(miss.header("X-Content-Type-Options") == "nosniff")
        #expect(miss.header("Content-Security-Policy")?.contains("sandbox") == true)
        // The dashboard runs only its own script: hashes, no unsafe-inline.
        let dashboard = try await HTTP.request(.GET, "\(daemon.baseURL)/")
        let policy = try #require(dashboard.header("Content-Security-Policy"))
        #expect(policy.contains("script-src 'sha256-"))
        #expect(!policy.contains("unsafe-inline"))
        #expect(policy.contains("default-src 'none'"))
        #expect(dashboard.header("X-Content-Type-Options") == "nosniff")
        try await daemon.stop()
    }

    @Test("binding every interface without auth_token is refused at validate time unless allow_unauthenticated")
    func protectedMode() async throws {
        let directory = try MonitordProcess.makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("monitord.yaml")
        let open = """
            sources:
              cache: { type: cache, cache_dir: "\(directory.path)/cache" }
            sinks:
              api:
                type: http
                host: 0.0.0.0
            """
        try open.write(to: file, atomically: true, encoding: .utf8)
        let refused = try await MonitordProcess.runToCompletion(["validate", "-c", file.path])
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("monitord.yaml:6:"), "\(refused.stderr)")
        #expect(refused.stderr.contains("sinks.api.host"))
        #expect(refused.stderr.contains("without auth_token anyone who can reach it can read the cache, overwrite it and clear it"))
        #expect(refused.stderr.contains("allow_unauthenticated: true"))
        try (open + "\n    allow_unauthenticated: true\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try await MonitordProcess.runToCompletion(["validate", "-c", file.path]).status == 0)
        try (open + "\n    auth_token: s3cret\n").write(to: file, atomically: true, encoding: .utf8)
        #expect(try await MonitordProcess.runToCompletion(["validate", "-c", file.path]).status == 0)
    }
}

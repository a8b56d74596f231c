import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

/// What the real binary answers to requests that name a known route the wrong way: a method the
/// route does not take, an empty key, an event stream of a source that does not exist, and what
/// a browser on an allowed origin may read.
@Suite("monitord route answers")
struct RouteAnswersEndToEndTests {
    static let config = """
        sources:
          cache: { type: cache, cache_dir: "{{dir}}/cache", interval: 1s }
          internal: { type: internal, interval: 1s }
        sinks:
          api: { type: http, port: {{port}}, cors_origins: ["https://dash.example"] }
          alerts: { type: alerts, rules: [] }
        """

    /// Every route, asked with a method it does not take, and the methods it does.
    static let wrongMethods: [(method: HTTPMethod, path: String, allow: String)] = [
        (.POST, "/api/cache/stats", "GET"),
        (.GET, "/api/cache/clear", "DELETE"),
        (.DELETE, "/api/cache/history", "GET"),
        (.POST, "/api/cache/entries/some-key", "DELETE, GET, HEAD, PUT"),
        (.PATCH, "/api/cache/entries/a/b", "DELETE, GET, HEAD, PUT"),
        (.POST, "/api/cache/entries/", "DELETE, GET, HEAD, PUT"),
        (.PUT, "/api/sources", "GET"),
        (.DELETE, "/api/alerts", "GET"),
        (.POST, "/api/events", "GET"),
        (.PUT, "/health", "GET"),
        (.POST, "/metrics", "GET"),
        (.DELETE, "/", "GET"),
        (.PUT, "/openapi.yaml", "GET"),
        (.POST, "/assets/app.js", "GET"),
    ]

    @Test("a wrong method on a known route is 405 with Allow and the JSON error; an unknown path stays 404")
    func wrongMethodIs405() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        for (method, path, allow) in Self.wrongMethods {
            let response = try await HTTP.request(method, daemon.baseURL + path)
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.header("Allow") == allow, "\(method) \(path)")
            let error = try response.json()["error"]
            #expect(error?["code"] == .string("method_not_allowed"), "\(method) \(path)")
            #expect(error?["message"]?.stringValue?.contains("allowed: \(allow)") == true, "\(method) \(path)")
        }
        let unknown = try await HTTP.request(.POST, daemon.baseURL + "/api/cache/nothing-here")
        #expect(unknown.status == 404)
        #expect(try unknown.json()["error"]?["code"] == .string("not_found"))
        // The right method on the same routes still works.
        #expect(try await HTTP.request(.GET, daemon.baseURL + "/api/cache/stats").status == 200)
        try await daemon.stop()
    }

    @Test("an empty key is 400 invalid_key for PUT, GET and DELETE")
    func emptyKeyIs400() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        for method in [HTTPMethod.PUT, .GET, .DELETE] {
            let response = try await HTTP.request(method, daemon.baseURL + "/api/cache/entries/", body: method == .PUT ? [1] : nil)
            #expect(response.status == 400, "\(method)")
            let error = try response.json()["error"]
            #expect(error?["code"] == .string("invalid_key"), "\(method)")
            #expect(error?["message"] == .string("the key is empty"), "\(method)")
        }
        // Without the slash the path is no entry path at all.
        let bare = try await HTTP.request(.GET, daemon.baseURL + "/api/cache/entries")
        #expect(bare.status == 400)
        #expect(try bare.json()["error"]?["code"] == .string("invalid_path"))
        try await daemon.stop()
    }

    @Test("/api/events for a source that does not exist is 404 unknown_source, not an empty stream")
    func eventsOfAnUnknownSourceIs404() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        for query in ["nosuch", "cache,nosuch", "zz*"] {
            let response = try await HTTP.request(.GET, daemon.baseURL + "/api/events?source=" + query, timeout: .seconds(5))
            #expect(response.status == 404, "?source=\(query)")
            let error = try response.json()["error"]
            #expect(error?["code"] == .string("unknown_source"), "?source=\(query)")
            #expect(error?["message"]?.stringValue?.contains("known sources: cache, internal") == true, "?source=\(query)")
        }
        try await daemon.stop()
    }

    @Test("an allowed origin may read the data plane's headers: each X-Meta-* sent, ETag, Cache-Control, X-Cache")
    func corsExposesDataPlaneHeaders() async throws {
        let daemon = try MonitordProcess(config: Self.config)
        try await daemon.waitUntilServing()
        let entry = daemon.baseURL + "/api/cache/entries/clip"
        let put = try await HTTP.request(.PUT, entry + "?ttl=60", headers: [("X-Meta-Language", "fr"), ("X-Meta-Speaker", "ana")], body: [1, 2])
        #expect(put.status == 200)
        let read = try await HTTP.request(.GET, entry, headers: [("Origin", "https://dash.example")])
        #expect(read.header("Access-Control-Allow-Origin") == "https://dash.example")
        let exposed = (read.header("Access-Control-Expose-Headers") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        for name in ["x-cache", "etag", "cache-control", "x-meta-language", "x-meta-speaker"] {
            #expect(exposed.contains(name), "\(name) in \(exposed)")
        }
        // Each metadata header it names is one the response carries.
        for name in exposed where name.hasPrefix("x-meta-") {
            #expect(read.header(name) != nil, "\(name) is exposed but not sent")
        }
        try await daemon.stop()
    }
}

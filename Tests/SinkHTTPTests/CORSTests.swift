import Foundation
import Testing

@testable import SinkHTTP

@Suite struct CORSTests {
    static let config = HTTPSinkConfig(port: 0, authToken: "t", corsOrigins: ["https://dash.example"])

    @Test func aPreflightFromAnAllowedOriginIsAnsweredWithoutAToken() async throws {
        try await SinkHarness.with(Self.config) { api async throws in
            let response = try await api.request("OPTIONS", "/api/cache/entries/k", headers: [
                ("Origin", "https://dash.example"), ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", "authorization, x-meta-lang"),
            ])
            #expect(response.status == 204)
            #expect(response.header("access-control-allow-origin") == "https://dash.example")
            #expect(response.header("access-control-allow-methods")?.contains("PUT") == true)
            #expect(response.header("access-control-allow-headers") == "authorization, x-meta-lang")
            #expect(response.header("vary") == "Origin")
        }
    }

    @Test func responsesToAnAllowedOriginAreMarkedAndExposeCacheHeaders() async throws {
        try await SinkHarness.with(Self.config) { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/k", headers: [("Authorization", "Bearer t"), ("X-Meta-Lang", "de")], body: [1])
            let response = try await api.request("GET", "/api/cache/entries/k", headers: [("Origin", "https://dash.example")])
            #expect(response.header("access-control-allow-origin") == "https://dash.example")
            let exposed = response.header("access-control-expose-headers") ?? ""
            let names = exposed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for name in ["x-cache", "etag", "cache-control", "x-meta-lang"] {
                #expect(names.contains(name), "\(name) in \(exposed)")
            }
            let error = try await api.request("GET", "/api/nope/stats", headers: [("Origin", "https://dash.example")])
            #expect(error.header("access-control-allow-origin") == "https://dash.example")
        }
    }

    @Test func otherOriginsGetNoCORSHeaders() async throws {
        try await SinkHarness.with(Self.config) { api async throws in
            let response = try await api.request("GET", "/api/cache/stats", headers: [("Origin", "https://evil.example")])
            #expect(response.status == 200)
            #expect(response.header("access-control-allow-origin") == nil)
            let preflight = try await api.request("OPTIONS", "/api/cache/clear", headers: [
                ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "DELETE"),
            ])
            #expect(preflight.header("access-control-allow-origin") == nil)
        }
    }
}

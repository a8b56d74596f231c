import MonitorKitCore
import Testing

@testable import SinkHTTP

@Suite struct EntryRouteTests {
    @Test func anyBytesGoInAndComeBackWithTheTier() async throws {
        try await SinkHarness.with { api async throws in
            let bytes = (0...255).map(UInt8.init) + [0, 0, 255]
            let put = try await api.request("PUT", "/api/cache/entries/blob", body: bytes)
            #expect(put.status == 200)
            #expect(try put.json()["size"] == .int(bytes.count))
            let got = try await api.request("GET", "/api/cache/entries/blob")
            #expect(got.status == 200)
            #expect(got.body == bytes)
            #expect(got.header("x-cache") == "memory")
            #expect(got.header("content-type") == "application/octet-stream")
        }
    }

    @Test func anEntryPushedOutOfMemoryIsADiskHit() async throws {
        try await SinkHarness.with(maxMemoryItems: 1) { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/first", body: [1])
            _ = try await api.request("PUT", "/api/cache/entries/second", body: [2])
            let got = try await api.request("GET", "/api/cache/entries/first")
            #expect(got.body == [1])
            #expect(got.header("x-cache") == "disk")
        }
    }

    @Test func percentEncodedKeysAreDecodedExactly() async throws {
        try await SinkHarness.with { api async throws in
            let key = "dub/ep 1/ü?&#%"
            let encoded = "dub%2Fep%201%2F%C3%BC%3F%26%23%25"
            #expect(try await api.request("PUT", "/api/cache/entries/\(encoded)", body: Array("x".utf8)).status == 200)
            let stored = try api.cache?.getWithMetadata(key)
            #expect(stored?.bytes == Array("x".utf8))
            // An unescaped slash routes too and names the same key.
            _ = try await api.request("PUT", "/api/cache/entries/a/b", body: [7])
            #expect(try api.cache?.get("a/b") == [7])
        }
    }

    @Test func aMalformedKeyIs400() async throws {
        try await SinkHarness.with { api async throws in
            let badEscape = try await RawHTTP.send(port: api.port, method: "PUT", path: "/api/cache/entries/a%zz", body: [1])
            #expect(badEscape.status == 400)
            #expect(badEscape.errorCode == "invalid_key")
            let notUTF8 = try await RawHTTP.send(port: api.port, method: "GET", path: "/api/cache/entries/%FF%FE")
            #expect(notUTF8.status == 400)
            #expect(notUTF8.text.contains("not valid percent-encoded UTF-8"))
        }
    }

    @Test func ttlComesFromTheQueryOrCacheControl() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/q?ttl=90", body: [1])
            _ = try await api.request("PUT", "/api/cache/entries/h", headers: [("Cache-Control", "public, max-age=30")], body: [1])
            _ = try await api.request("PUT", "/api/cache/entries/d", body: [1])
            let q = try #require(try api.cache?.getWithMetadata("q"))
            let h = try #require(try api.cache?.getWithMetadata("h"))
            let d = try #require(try api.cache?.getWithMetadata("d"))
            #expect(q.expiresAt.map { $0 - q.createdAt } == 90)
            #expect(h.expiresAt.map { $0 - h.createdAt } == 30)
            #expect(d.expiresAt.map { $0 - d.createdAt } == 3600)

            let got = try await api.request("GET", "/api/cache/entries/h")
            // The seconds left, counted on the wall clock while the cache's test clock stands still.
            let maxAge = got.header("cache-control").flatMap { Int($0.dropFirst("max-age=".count)) }
            #expect(maxAge.map { (1...30).contains($0) } == true, "\(String(describing: got.header("cache-control")))")
            api.clock.advance(by: 31)
            let expired = try await api.request("GET", "/api/cache/entries/h")
            #expect(expired.status == 404)
        }
    }

    @Test func aBadTTLIs400() async throws {
        try await SinkHarness.with { api async throws in
            for query in ["ttl=abc", "ttl=0", "ttl=-5", "ttl=inf"] {
                let response = try await api.request("PUT", "/api/cache/entries/k?\(query)", body: [1])
                #expect(response.status == 400, "\(query)")
                #expect(response.errorCode == "invalid_ttl", "\(query)")
            }
            let header = try await api.request("PUT", "/api/cache/entries/k", headers: [("Cache-Control", "max-age=soon")], body: [1])
            #expect(header.status == 400)
            #expect(try api.cache?.get("k") == nil)
        }
    }

    @Test func metadataHeadersRoundTrip() async throws {
        try await SinkHarness.with { api async throws in
            let headers = [("X-Meta-Language", "fr"), ("X-Meta-Content-Type", "audio/wav"), ("X-Other", "dropped")]
            _ = try await api.request("PUT", "/api/cache/entries/clip", headers: headers, body: [9, 9])
            let got = try await api.request("GET", "/api/cache/entries/clip")
            #expect(got.header("x-meta-language") == "fr")
            #expect(got.header("content-type") == "audio/wav")
            #expect(got.header("x-other") == nil)
            #expect(try api.cache?.getWithMetadata("clip")?.metadata == ["language": "fr", "content-type": "audio/wav"])
        }
    }

    @Test func aMissIsA404JSONError() async throws {
        try await SinkHarness.with { api async throws in
            let response = try await api.request("GET", "/api/cache/entries/ghost")
            #expect(response.status == 404)
            #expect(response.errorCode == "not_found")
            #expect(try response.json()["error"]?["message"] == .string("no entry for key \"ghost\" (absent or expired)"))
        }
    }

    @Test func deleteRemovesOnceThen404() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/gone", body: [1])
            let first = try await api.request("DELETE", "/api/cache/entries/gone")
            #expect(first.status == 200)
            #expect(try first.json()["deleted"] == .bool(true))
            #expect(try await api.request("DELETE", "/api/cache/entries/gone").status == 404)
            #expect(try await api.request("GET", "/api/cache/entries/gone").status == 404)
        }
    }

    @Test func aBodyOverTheLimitIs413AndNotStored() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxBodySize: 1024)) { api async throws in
            let fits = try await api.request("PUT", "/api/cache/entries/fits", body: Array(repeating: 1, count: 1024))
            #expect(fits.status == 200)
            let over = try await api.request("PUT", "/api/cache/entries/over", body: Array(repeating: 1, count: 1025))
            #expect(over.status == 413)
            #expect(over.errorCode == "payload_too_large")
            #expect(over.text.contains("max_body_size (1024 bytes)"))
            #expect(try api.cache?.get("over") == nil)
        }
    }

    @Test func aStreamedBodyWithoutLengthIsCutAtTheLimit() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxBodySize: 64 << 10)) { api async throws in
            // 16 MiB offered in chunks: the server must refuse after 64 KiB, not collect it all.
            let over = try await TestHTTP.request(
                "PUT", api.base + "/api/cache/entries/stream", streamedBody: (chunks: 256, chunkSize: 64 << 10))
            #expect(over.status == 413)
            #expect(try api.cache?.get("stream") == nil)
            let small = try await TestHTTP.request(
                "PUT", api.base + "/api/cache/entries/small", streamedBody: (chunks: 4, chunkSize: 1000))
            #expect(small.status == 200)
            #expect(try api.cache?.get("small")?.count == 4000)
        }
    }

    @Test func aSourceThatStoresNothingIsNotADataPlane() async throws {
        try await SinkHarness.with(extraSources: [FailingSource(id: "flaky")]) { api async throws in
            let response = try await api.request("GET", "/api/flaky/entries/k")
            #expect(response.status == 404)
            #expect(response.errorCode == "not_a_store")
            #expect(response.text.contains("sources that do: cache"))
        }
    }

    @Test func storeRefusalsMapToStatuses() async throws {
        try await SinkHarness.with { api async throws in
            let longKey = String(repeating: "k", count: 2000)
            let response = try await api.request("PUT", "/api/cache/entries/\(longKey)", body: [1])
            #expect(response.status == 400)
            #expect(response.errorCode == "invalid_key")
        }
    }
}

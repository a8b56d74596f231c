import MonitorKitCore
import Testing

@testable import SinkHTTP

/// A data-plane path names exactly one entry: nothing the router normalises (empty segments) and
/// nothing the HTTP parser replaces (bytes that are not UTF-8) may turn it into another key.
@Suite struct EntryPathTests {
    @Test("an empty segment before the key is 400, and nothing is stored", arguments: [
        "/api//cache/entries/k", "/api/cache//entries/k", "//api/cache/entries/k",
    ])
    func emptySegmentBeforeTheKey(path: String) async throws {
        try await SinkHarness.with { api async throws in
            let put = try await RawHTTP.send(port: api.port, method: "PUT", path: path, body: [1])
            #expect(put.status == 400, "PUT \(path): \(put.text)")
            #expect(put.errorCode == "invalid_path")
            #expect(put.text.contains("empty segment"))
            #expect(try api.cache?.get("entries/k") == nil)
            #expect(try api.cache?.get("k") == nil)
            #expect(try await api.json("/api/cache/stats")["sets"] == .int(0))
        }
    }

    /// Raw bytes outside ASCII never reach a route over HTTP/1.1: the HTTP parser refuses the
    /// request line with a bare 400. So two such paths cannot collide in one key; the decoder
    /// also refuses U+FFFD (see EntryPathDecoderTests) for any transport that decodes lossily.
    @Test func rawBytesThatAreNotUTF8Are400AndDoNotCollide() async throws {
        try await SinkHarness.with { api async throws in
            let prefix = Array("/api/cache/entries/a".utf8)
            for byte: UInt8 in [0xFF, 0xFE] {
                let put = try await RawHTTP.send(port: api.port, method: "PUT", pathBytes: prefix + [byte], body: [byte])
                #expect(put.status == 400, "PUT with raw byte \(byte): \(put.text)")
            }
            #expect(try await api.json("/api/cache/stats")["sets"] == .int(0))
            // The same bytes percent-encoded are a rejected key with a message, never U+FFFD.
            let encoded = try await RawHTTP.send(port: api.port, method: "PUT", path: "/api/cache/entries/a%FF", body: [1])
            #expect(encoded.status == 400)
            #expect(encoded.errorCode == "invalid_key")
            #expect(encoded.text.contains("not valid percent-encoded UTF-8"))
            #expect(try await api.json("/api/cache/stats")["sets"] == .int(0))
        }
    }

    @Test func theKeyIsExactlyTheDecodedRemainder() async throws {
        try await SinkHarness.with { api async throws in
            for (path, key) in [("/api/cache/entries/a//b", "a//b"), ("/api/cache/entries/%2Fx/", "/x/"), ("/api/cache/entries/caf%C3%A9", "café")] {
                let put = try await RawHTTP.send(port: api.port, method: "PUT", path: path, body: Array(key.utf8))
                #expect(put.status == 200, "PUT \(path): \(put.text)")
                #expect(try put.json()["key"] == .string(key))
                #expect(try api.cache?.get(key) == Array(key.utf8))
            }
        }
    }
}

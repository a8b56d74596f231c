import Foundation
#if canImport(Glibc)
import Glibc
#endif
import MonitorKitCore
import Testing

@testable import SinkHTTP

/// What players, download managers and HTTP caches rely on: the stored type, ETag and
/// Last-Modified with 304s, HEAD, and single byte ranges (206/416), from memory and from disk.
@Suite struct MediaRouteTests {
    static func value(_ count: Int, seed: Int = 3) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ seed &+ ($0 >> 11)) }
    }

    @Test func theContentTypeOfAPutIsStoredAndAnsweredWithTagAndDate() async throws {
        try await SinkHarness.with { api async throws in
            let put = try await api.request("PUT", "/api/cache/entries/clip", headers: [("Content-Type", "audio/wav")], body: [1, 2, 3])
            #expect(put.status == 200)
            let got = try await api.request("GET", "/api/cache/entries/clip")
            #expect(got.header("content-type") == "audio/wav")
            #expect(got.header("accept-ranges") == "bytes")
            let tag = try #require(got.header("etag"))
            #expect(tag.count == 18 && tag.hasPrefix("\"") && tag.hasSuffix("\""), "\(tag)")
            let lastModified = try #require(got.header("last-modified"))
            #expect(HTTPDateHeader.parse(lastModified) == time_t(api.clock.now))
            // The same bytes stored again keep their tag; other bytes get another.
            _ = try await api.request("PUT", "/api/cache/entries/clip", headers: [("Content-Type", "audio/wav")], body: [1, 2, 3])
            #expect(try await api.request("GET", "/api/cache/entries/clip").header("etag") == tag)
            _ = try await api.request("PUT", "/api/cache/entries/clip", body: [1, 2, 4])
            let changed = try await api.request("GET", "/api/cache/entries/clip")
            #expect(changed.header("etag") != tag)
            #expect(changed.header("content-type") == "application/octet-stream")
        }
    }

    @Test func aClientWithTheCurrentVersionGets304() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/t", body: Array("transcript".utf8))
            let first = try await api.request("GET", "/api/cache/entries/t")
            let tag = try #require(first.header("etag"))
            let date = try #require(first.header("last-modified"))
            for headers in [[("If-None-Match", tag)], [("If-None-Match", "\"other\", W/\(tag)")], [("If-None-Match", "*")], [("If-Modified-Since", date)]] {
                let answer = try await api.request("GET", "/api/cache/entries/t", headers: headers)
                #expect(answer.status == 304, "\(headers)")
                #expect(answer.body.isEmpty)
                #expect(answer.header("etag") == tag)
            }
            let later = HTTPDateHeader.format(time_t(api.clock.now) - 10)
            #expect(try await api.request("GET", "/api/cache/entries/t", headers: [("If-Modified-Since", later)]).status == 200)
            #expect(try await api.request("GET", "/api/cache/entries/t", headers: [("If-None-Match", "\"other\"")]).status == 200)
            // If-None-Match decides when both are sent.
            let both = try await api.request("GET", "/api/cache/entries/t", headers: [("If-None-Match", "\"other\""), ("If-Modified-Since", date)])
            #expect(both.status == 200)
            #expect(both.text == "transcript")
            #expect(try await api.request("GET", "/api/cache/entries/t", headers: [("If-Modified-Since", "yesterday")]).status == 200)
        }
    }

    @Test func headAnswersTheHeadersOfAGetWithoutTheValue() async throws {
        try await SinkHarness.with(maxMemoryValueBytes: 1024) { api async throws in
            let bytes = Self.value(5000)
            _ = try await api.request("PUT", "/api/cache/entries/h", headers: [("Content-Type", "video/mp4")], body: bytes)
            let head = try await api.request("HEAD", "/api/cache/entries/h")
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(head.header("content-length") == "5000")
            #expect(head.header("content-type") == "video/mp4")
            #expect(head.header("x-cache") == "disk")
            let get = try await api.request("GET", "/api/cache/entries/h")
            #expect(get.header("etag") == head.header("etag"))
            #expect(get.body == bytes)
            #expect(try await api.request("HEAD", "/api/cache/entries/missing").status == 404)
        }
    }

    @Test(arguments: [8 << 20, 1024])
    func rangesAreServedFromMemoryAndFromDisk(maxMemoryValueBytes: Int) async throws {
        try await SinkHarness.with(maxMemoryValueBytes: maxMemoryValueBytes) { api async throws in
            let bytes = Self.value(2 << 20)
            _ = try await api.request("PUT", "/api/cache/entries/song", headers: [("Content-Type", "audio/wav")], body: bytes)
            let tier = maxMemoryValueBytes > bytes.count ? "memory" : "disk"
            let cases: [(String, Range<Int>)] = [
                ("bytes=0-99", 0..<100), ("bytes=1000000-", 1_000_000..<bytes.count), ("bytes=-300", bytes.count - 300..<bytes.count),
                ("bytes=2000000-99999999", 2_000_000..<bytes.count), ("bytes=-99999999", 0..<bytes.count), ("bytes=5-5", 5..<6),
            ]
            for (header, range) in cases {
                let answer = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", header)])
                #expect(answer.status == 206, "\(header)")
                #expect(answer.header("content-range") == "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(bytes.count)", "\(header)")
                #expect(answer.body == Array(bytes[range]), "\(header)")
                #expect(answer.header("x-cache") == tier)
            }
            for header in ["bytes=\(bytes.count)-", "bytes=-0", "bytes=99999999-"] {
                let answer = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", header)])
                #expect(answer.status == 416, "\(header)")
                #expect(answer.header("content-range") == "bytes */\(bytes.count)")
                #expect(answer.errorCode == "range_not_satisfiable")
            }
            // Several ranges, other units and nonsense are answered whole, as RFC 9110 allows.
            for header in ["bytes=0-1,5-6", "items=0-1", "bytes=9-2", "bytes=a-b"] {
                let answer = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", header)])
                #expect(answer.status == 200, "\(header)")
                #expect(answer.body.count == bytes.count)
            }
            let tag = try #require(try await api.request("HEAD", "/api/cache/entries/song").header("etag"))
            let resumed = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", "bytes=10-19"), ("If-Range", tag)])
            #expect(resumed.status == 206)
            let stale = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", "bytes=10-19"), ("If-Range", "\"0000000000000000\"")])
            #expect(stale.status == 200)
            #expect(stale.body == bytes)
            // A date is not a strong validator (two versions can share a second): the whole value.
            let date = try #require(try await api.request("HEAD", "/api/cache/entries/song").header("last-modified"))
            let byDate = try await api.request("GET", "/api/cache/entries/song", headers: [("Range", "bytes=10-19"), ("If-Range", date)])
            #expect(byDate.status == 200)
            #expect(byDate.body == bytes)
        }
    }

    @Test func aLargeUploadStreamsToDiskAndReadsBackExactly() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxBodySize: 32 << 20), maxMemoryValueBytes: 1 << 20) { api async throws in
            // 12 MiB in 64 KiB chunks with no Content-Length, then 3 MiB with one.
            let streamed = try await TestHTTP.request("PUT", api.base + "/api/cache/entries/long", streamedBody: (chunks: 192, chunkSize: 64 << 10))
            #expect(streamed.status == 200, "\(streamed.text)")
            #expect(try streamed.json()["size"] == .int(12 << 20))
            let got = try await api.request("GET", "/api/cache/entries/long")
            #expect(got.header("x-cache") == "disk")
            #expect(got.body == [UInt8](repeating: UInt8(ascii: "x"), count: 12 << 20))
            let sized = Self.value(3 << 20)
            #expect(try await api.request("PUT", "/api/cache/entries/sized", body: sized).status == 200)
            #expect(try await api.request("GET", "/api/cache/entries/sized").body == sized)
        }
    }

    @Test func anUploadCutOffHalfWayLeavesNoEntry() async throws {
        try await SinkHarness.with { api async throws in
            _ = try await api.request("PUT", "/api/cache/entries/cut", body: [7])
            let connection = try RawHTTP.open(port: api.port)
            try connection.send("PUT /api/cache/entries/cut HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4000000\r\n\r\n")
            try connection.send(String(repeating: "y", count: 2_000_000))
            let directory = try #require(api.cache?.directory)
            // The body goes to disk as it arrives: the temporary file grows before the body ends.
            try await waitFor("the upload's temporary file to hold what was sent") {
                Self.temporaryFileSizes(directory).contains { $0 >= 1_000_000 }
            }
            connection.close()
            try await waitFor("the upload to be abandoned") {
                // The temporary file goes once the server sees the connection end.
                FileManager.default.enumerator(atPath: directory)?.allObjects.contains { ($0 as? String)?.hasSuffix(".tmp") == true } == false
                    && api.cache?.stats().sets == 1
            }
            #expect(try api.cache?.get("cut") == [7])
            let got = try await api.request("GET", "/api/cache/entries/cut")
            #expect(got.body == [7])
        }
    }
}

extension MediaRouteTests {
    @Test func expectContinueGetsTheInterimAnswerOnlyOnceThePutIsAccepted() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxBodySize: 1 << 20)) { api async throws in
            let accepted = try RawHTTP.open(port: api.port)
            defer { accepted.close() }
            try accepted.send("PUT /api/cache/entries/expect HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            // The interim answer comes before any byte of the body is sent.
            #expect(try await accepted.readHead() == "HTTP/1.1 100 Continue\r\n\r\n")
            try accepted.send("hello")
            #expect(try await accepted.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(try await api.request("GET", "/api/cache/entries/expect").body == Array("hello".utf8))

            // Refused before the body (over max_body_size): the final answer, no 100.
            let refused = try RawHTTP.open(port: api.port)
            defer { refused.close() }
            try refused.send("PUT /api/cache/entries/big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await refused.readHead().hasPrefix("HTTP/1.1 413 "))

            // Refused by the store before the body (a key over 1024 bytes): 400, no 100.
            let longKey = try RawHTTP.open(port: api.port)
            defer { longKey.close() }
            try longKey.send(
                "PUT /api/cache/entries/\(String(repeating: "k", count: 1025)) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 400000\r\nExpect: 100-continue\r\n\r\n")
            #expect(try await longKey.readHead().hasPrefix("HTTP/1.1 400 "))

            // HTTP/1.0 knows no interim answers: the expectation is ignored (RFC 9110 10.1.1),
            // the body read as it comes.
            let old = try RawHTTP.open(port: api.port)
            defer { old.close() }
            try old.send("PUT /api/cache/entries/old HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\nabc")
            #expect(try await old.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(try await api.request("GET", "/api/cache/entries/old").body == Array("abc".utf8))
        }
    }

    @Test func anEntryFileCutShortUnderATransferEndsTheConnection() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, maxBodySize: 64 << 20), maxMemoryValueBytes: 1 << 20) { api async throws in
            let value = Self.value(12 << 20)
            #expect(try await api.request("PUT", "/api/cache/entries/cut-short", body: value).status == 200)
            let directory = try #require(api.cache?.directory)
            let names = FileManager.default.enumerator(atPath: directory)?.allObjects.compactMap { $0 as? String } ?? []
            let entry = try #require(names.first { name in
                (try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)[.size] as? NSNumber)?.intValue ?? 0 > value.count
            })
            let connection = try RawHTTP.open(port: api.port)
            defer { connection.close() }
            try connection.send("GET /api/cache/entries/cut-short HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(try await connection.readHead().hasPrefix("HTTP/1.1 200 OK\r\n"))
            // An outsider cuts the file short while its bytes are on their way (the client has
            // read none of the body yet, so the transfer is far from its end).
            #expect(truncate(directory + "/" + entry, 1000) == 0)
            // The server ends the connection rather than retrying the missing bytes for ever
            // (which kept it open, its event loop busy, without this).
            let body = try await connection.readToEnd()
            #expect(body.count < value.count)
            #expect(try await api.request("GET", "/api/cache/entries/cut-short").status == 404)
            #expect(try await api.request("GET", "/health").status == 200)
        }
    }

    /// The sizes of the temporary files under `directory`.
    static func temporaryFileSizes(_ directory: String) -> [Int] {
        let names = FileManager.default.enumerator(atPath: directory)?.allObjects.compactMap { $0 as? String } ?? []
        return names.filter { $0.hasSuffix(".tmp") }.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as? NSNumber)?.intValue
        }
    }
}

@Suite struct ByteRangeTests {
    @Test func rangesOfAValue() {
        #expect(ByteRange.of(nil, length: 10) == .whole)
        #expect(ByteRange.of("bytes=0-4", length: 10) == .part(0..<5))
        #expect(ByteRange.of("bytes=6-", length: 10) == .part(6..<10))
        #expect(ByteRange.of("bytes=-3", length: 10) == .part(7..<10))
        #expect(ByteRange.of("bytes=-30", length: 10) == .part(0..<10))
        #expect(ByteRange.of("bytes=8-100", length: 10) == .part(8..<10))
        #expect(ByteRange.of(" Bytes = 2 - 3 ", length: 10) == .whole)
        #expect(ByteRange.of("bytes= 2-3", length: 10) == .part(2..<4))
        #expect(ByteRange.of("bytes=10-", length: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=0-0", length: 0) == .unsatisfiable)
        #expect(ByteRange.of("bytes=-0", length: 10) == .unsatisfiable)
        #expect(ByteRange.of("bytes=99999999999999999999999-", length: 10) == .unsatisfiable)
        for ignored in ["bytes=0-1,3-4", "bytes=5-2", "bytes=x-", "bytes=", "bytes=-", "items=0-1", "bytes=+1-2"] {
            #expect(ByteRange.of(ignored, length: 10) == .whole, "\(ignored)")
        }
    }

    @Test func entityTagComparisons() {
        #expect(EntityTags.noneMatchHits("\"a\"", tag: "a"))
        #expect(EntityTags.noneMatchHits("W/\"a\"", tag: "a"))
        #expect(EntityTags.noneMatchHits("\"b\", \"a\"", tag: "a"))
        #expect(EntityTags.noneMatchHits("*", tag: "a"))
        #expect(!EntityTags.noneMatchHits("\"b\"", tag: "a"))
        #expect(!EntityTags.noneMatchHits("a", tag: "a"))
        #expect(EntityTags.rangeTagHolds("\"a\"", tag: "a"))
        #expect(!EntityTags.rangeTagHolds("W/\"a\"", tag: "a"))
    }

    @Test func httpDatesParseBackToTheirTime() {
        for seconds: time_t in [0, 784_111_777, 1_796_000_000] {
            #expect(HTTPDateHeader.parse(HTTPDateHeader.format(seconds)) == seconds)
        }
        #expect(HTTPDateHeader.parse("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        for bad in ["", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"] {
            #expect(HTTPDateHeader.parse(bad) == nil, "\(bad)")
        }
    }
}

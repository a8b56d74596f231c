import Testing

@testable import SinkHTTP

/// The data plane's path decoder on its own: raw path bytes in, source and key or a reason out.
@Suite struct EntryPathDecoderTests {
    @Test("the decoder alone", arguments: [
        ("/api/cache/entries/k", "cache", "k"),
        ("/api/cache/entries/a/b%20c", "cache", "a/b c"),
        ("/api/my%2Dstore/entries/%E2%9C%93", "my-store", "✓"),
        ("/api/cache/entries/café", "cache", "café"),
    ])
    func decodes(path: String, source: String, key: String) throws {
        #expect(try EntryPath.parse(path.utf8) == EntryPath(source: source, key: key))
    }

    @Test("the decoder refuses with a reason", arguments: [
        ("/api//cache/entries/k", "invalid_path", "empty segment"),
        ("/api/cache//entries/k", "invalid_path", "empty segment"),
        ("/api/cache/entries/", "invalid_key", "empty"),
        ("/api/cache/other/k", "invalid_path", "/api/<source>/entries/<key>"),
        ("/api/cache/entries/%zz", "invalid_key", "percent-encoded"),
        ("/api/cache/entries/%C3", "invalid_key", "percent-encoded"),
        ("/api/cache/entries/\u{FFFD}", "invalid_path", "not UTF-8"),
    ])
    func refuses(path: String, code: String, reason: String) {
        #expect {
            try EntryPath.parse(path.utf8)
        } throws: { error in
            guard let error = error as? EntryPath.Invalid else { return false }
            return error.code == code && error.message.contains(reason)
        }
    }

    @Test func theDecoderRefusesBytesThatAreNotUTF8() {
        #expect(throws: EntryPath.Invalid.self) { try EntryPath.parse(Array("/api/cache/entries/a".utf8) + [0xC3]) }
    }
}

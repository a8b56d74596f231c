/// The source and key of a data-plane path, `/api/<source>/entries/<key>`, read from the raw
/// request path rather than from the router's segments: the router drops empty segments, so
/// `/api//cache/entries/k` would otherwise store the key `entries/k` in the source `cache`.
///
/// A pure function of the path's bytes, so it can be fuzzed on its own (Fuzz/entry-path).
struct EntryPath: Equatable, Sendable {
    /// The percent-decoded source id (the second segment).
    var source: String
    /// Exactly the percent-decoded remainder after `/entries/`; it may hold slashes, even empty segments.
    var key: String

    /// Why a path names no entry: `code` is `invalid_path` or `invalid_key`, `message` says how to fix it.
    struct Invalid: Error, Equatable, CustomStringConvertible {
        var code: String
        var message: String
        var description: String { "\(code): \(message)" }
    }

    private static let shape = "a data-plane path is /api/<source>/entries/<key>"

    /// Reads a raw request path (no query). The HTTP parser hands over a path whose invalid UTF-8
    /// is already replaced by U+FFFD, so a raw U+FFFD is refused too: two different byte strings
    /// must never name one key. Percent-encoded bytes (`%EF%BF%BD`) are the way to send it.
    static func parse(_ path: some Collection<UInt8>) throws(Invalid) -> EntryPath {
        guard let text = String(validating: path, as: UTF8.self), !text.unicodeScalars.contains("\u{FFFD}") else {
            throw Invalid(
                code: "invalid_path",
                message: "the path has bytes that are not UTF-8; percent-encode every byte of the key that is not ASCII (%XX)")
        }
        let prefix = "/api/"
        guard text.hasPrefix(prefix) else {
            if text.hasPrefix("//") { throw emptySegment }
            throw Invalid(code: "invalid_path", message: "\(shape), found \"\(text.prefix(200))\"")
        }
        let rest = text.dropFirst(prefix.count)
        guard let sourceEnd = rest.firstIndex(of: "/") else {
            throw Invalid(code: "invalid_path", message: "\(shape), found \"\(text.prefix(200))\"")
        }
        let rawSource = rest[..<sourceEnd]
        let afterSource = rest[rest.index(after: sourceEnd)...]
        guard !rawSource.isEmpty, !afterSource.hasPrefix("/") else { throw emptySegment }
        let marker = "entries/"
        guard afterSource.hasPrefix(marker) else {
            throw Invalid(code: "invalid_path", message: "\(shape), found \"\(text.prefix(200))\"")
        }
        let rawKey = afterSource.dropFirst(marker.count)
        guard !rawKey.isEmpty else { throw Invalid(code: "invalid_key", message: "the key is empty") }
        guard let source = PercentDecoding.decode(rawSource) else {
            throw Invalid(code: "invalid_path", message: "the source \"\(rawSource.prefix(200))\" is not valid percent-encoded UTF-8")
        }
        guard let key = PercentDecoding.decode(rawKey) else {
            throw Invalid(
                code: "invalid_key",
                message: "the key \"\(rawKey.prefix(200))\" is not valid percent-encoded UTF-8 (escape bytes as %XX)")
        }
        return EntryPath(source: source, key: key)
    }

    private static var emptySegment: Invalid {
        Invalid(
            code: "invalid_path",
            message: "the path has an empty segment (two slashes in a row) before the key; \(shape)")
    }
}

/// Whether a content type stored with an entry (`X-Meta-Content-Type` on its PUT) is one a browser
/// only displays. Anyone who can write an entry chooses it, so the check is an allowlist: HTML,
/// SVG, XML, script, a malformed value or a list that a browser would read as its last item
/// (`text/plain, text/html`) are all "active", and such an entry is sent as an attachment.
enum StoredContentType {
    /// Types a browser shows without running anything (images, audio, video, plain data).
    private static let passive: Set<String> = [
        "application/octet-stream", "application/json", "application/x-ndjson", "application/cbor",
        "application/msgpack", "application/protobuf", "application/x-protobuf", "application/ogg",
        "text/plain", "text/csv", "text/tab-separated-values", "text/vtt", "text/markdown",
        "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/bmp",
    ]
    /// Families where no member is a document or a script.
    private static let passiveFamilies: Set<String> = ["audio", "video"]

    /// `true` unless `value` is exactly one well-formed `type/subtype` (parameters allowed) from the allowlist.
    static func isActive(_ value: String) -> Bool {
        // A browser splits the header on commas and takes the last type, wherever the comma is
        // (`text/plain;,text/html` renders as HTML).
        if value.contains(",") { return true }
        let essence = value.prefix { $0 != ";" }.trimmedSpaces.lowercased()
        let parts = essence.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isTokenCharacter) }) else { return true }
        if passive.contains(essence) { return false }
        // `+xml` and `+json` suffixes: XML is a document a browser may run; only the JSON kind is data.
        return !(passiveFamilies.contains(String(parts[0])) && !parts[1].hasSuffix("+xml"))
    }

    /// RFC 9110 token characters; a comma, a space or a quote makes the value something other than one type.
    private static func isTokenCharacter(_ c: Character) -> Bool {
        guard let ascii = c.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "!#$%&'*+-.^_`|~".utf8.contains(ascii)
        }
    }
}

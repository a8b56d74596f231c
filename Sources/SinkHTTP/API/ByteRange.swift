/// What a `Range` request header (RFC 9110 §14) asks of a value: the data plane serves one range
/// of bytes, the way audio and video players seek.
enum ByteRange: Equatable {
    /// No range, or one this server ignores (another unit, several ranges, a malformed one): the
    /// whole value, 200.
    case whole
    /// These bytes of the value: 206 with `Content-Range`.
    case part(Range<Int>)
    /// A range that starts past the end (or any range of an empty value): 416.
    case unsatisfiable

    /// The range `header` asks of a value of `length` bytes: `bytes=a-b` (b clamped to the
    /// end), `bytes=a-` and `bytes=-n` (the last n bytes).
    static func of(_ header: String?, length: Int) -> ByteRange {
        guard let header else { return .whole }
        let text = header.trimmedSpaces
        guard text.count > 6, text.prefix(6).lowercased() == "bytes=" else { return .whole }
        let spec = text.dropFirst(6).trimmedSpaces
        // Several ranges would need a multipart answer; a server may answer them whole.
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimmedSpaces, last = spec[spec.index(after: dash)...].trimmedSpaces
        if first.isEmpty {
            // bytes=-n: the last n bytes.
            guard let count = number(last) else { return .whole }
            guard count > 0, length > 0 else { return .unsatisfiable }
            return .part(max(0, length - count)..<length)
        }
        guard let start = number(first) else { return .whole }
        var end = length - 1
        if !last.isEmpty {
            guard let stated = number(last), stated >= start else { return .whole }
            end = min(stated, length - 1)
        }
        guard start < length else { return .unsatisfiable }
        return .part(start..<end + 1)
    }

    /// Decimal digits only; a number past `Int.max` reads as `Int.max` (it is past any end).
    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text) ?? Int.max
    }
}

/// The entity-tag comparisons of conditional requests (RFC 9110 §8.8.3, §13.1).
enum EntityTags {
    /// Whether an `If-None-Match` list names `tag` (weak comparison: `W/` ignored), or is `*`.
    static func noneMatchHits(_ header: String, tag: String) -> Bool {
        for item in header.split(separator: ",") {
            var candidate = item.trimmedSpaces
            if candidate == "*" { return true }
            if candidate.hasPrefix("W/") { candidate = candidate.dropFirst(2) }
            if let quoted = unquoted(candidate), quoted == tag { return true }
        }
        return false
    }

    /// Whether an `If-Range` entity tag is `tag` (strong comparison: a weak tag never is).
    static func rangeTagHolds(_ header: String, tag: String) -> Bool {
        let candidate = header.trimmedSpaces
        guard !candidate.hasPrefix("W/"), let quoted = unquoted(candidate) else { return false }
        return quoted == tag
    }

    private static func unquoted(_ text: Substring) -> Substring? {
        guard text.count >= 2, text.first == "\"", text.last == "\"" else { return nil }
        return text.dropFirst().dropLast()
    }
}

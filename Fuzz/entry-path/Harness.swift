// libFuzzer target: the data plane's path decoder (EntryPath), a pure function from the raw bytes
// of a request path to a source and key, or a refusal with a reason. Properties checked:
// - it never traps;
// - a decoded key is never empty and never holds U+FFFD (bytes that were not UTF-8);
// - percent-encoding the decoded source and key again gives a path that decodes to the same pair,
//   so every accepted path names exactly one entry.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntryPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let decoded = try? EntryPath.parse(bytes) else { return 0 }
    precondition(!decoded.key.isEmpty, "an empty key was accepted")
    precondition(!decoded.key.unicodeScalars.contains("\u{FFFD}") || pathHadEncodedReplacement(bytes), "U+FFFD from raw bytes in \(decoded)")
    let again = Array("/api/\(encode(decoded.source))/entries/\(encode(decoded.key))".utf8)
    guard let second = try? EntryPath.parse(again) else {
        preconditionFailure("the re-encoded path of \(decoded) was refused")
    }
    precondition(second == decoded, "\(decoded) re-encoded decodes to \(second)")
    return 0
}

/// `%EF%BF%BD` is a legitimate, explicit U+FFFD in a key. Searched for in the bytes, ASCII letters
/// folded: a String search compares grapheme clusters, so `%EF%BF%BD` followed by a combining
/// mark (the `D` and the mark are one Character) was not found, and the harness failed a valid path.
private func pathHadEncodedReplacement(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    let needle = Array("%EF%BF%BD".utf8)
    let folded = bytes.map { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") ? $0 - 32 : $0 }
    guard folded.count >= needle.count else { return false }
    return (0...(folded.count - needle.count)).contains { start in folded[start..<(start + needle.count)].elementsEqual(needle) }
}

/// Every byte but RFC 3986's unreserved characters as `%XX`.
private func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let digits = Array("0123456789ABCDEF".utf8)
            out += "%" + String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
        }
    }
    return out
}

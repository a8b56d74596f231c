import SHA256Digest

/// The dashboard's Content-Security-Policy: its own inline script and style, by SHA-256 hash, and
/// nothing else. A script that an attacker slips into the page (through a stored value or an
/// event rendered as HTML) has another hash and does not run; no `unsafe-inline` is needed.
enum DashboardPolicy {
    /// The policy for `page`, hashing each `<script>` and `<style>` element's text as it is served.
    static func contentSecurityPolicy(for page: [UInt8]) -> String {
        let scripts = inlineBodies(of: "script", in: page).map(hashSource)
        let styles = inlineBodies(of: "style", in: page).map(hashSource)
        return [
            "default-src 'none'",
            "script-src " + (scripts.isEmpty ? "'none'" : scripts.joined(separator: " ")),
            "style-src " + (styles.isEmpty ? "'none'" : styles.joined(separator: " ")),
            // The favicon is a data: URL; the API (fetch, EventSource) is this origin.
            "img-src data:", "connect-src 'self'",
            "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }

    /// `'sha256-<base64>'` of one element's text.
    static func hashSource(_ text: ArraySlice<UInt8>) -> String {
        "'sha256-" + base64(SHA256Digest.hash(text)) + "'"
    }

    /// The text between `<tag>` and `</tag>` for every such element without attributes.
    static func inlineBodies(of tag: String, in page: [UInt8]) -> [ArraySlice<UInt8>] {
        let open = Array("<\(tag)>".utf8), close = Array("</\(tag)>".utf8)
        var bodies: [ArraySlice<UInt8>] = []
        var from = page.startIndex
        while let start = find(open, in: page, from: from) {
            let bodyStart = start + open.count
            guard let end = find(close, in: page, from: bodyStart) else { break }
            bodies.append(page[bodyStart..<end])
            from = end + close.count
        }
        return bodies
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = from
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// Standard base64 with padding, as CSP hash sources are written.
    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let b0 = UInt32(bytes[index])
            let b1 = index + 1 < bytes.count ? UInt32(bytes[index + 1]) : 0
            let b2 = index + 2 < bytes.count ? UInt32(bytes[index + 2]) : 0
            let triple = b0 << 16 | b1 << 8 | b2
            out.append(alphabet[Int(triple >> 18 & 63)])
            out.append(alphabet[Int(triple >> 12 & 63)])
            out.append(index + 1 < bytes.count ? alphabet[Int(triple >> 6 & 63)] : UInt8(ascii: "="))
            out.append(index + 2 < bytes.count ? alphabet[Int(triple & 63)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

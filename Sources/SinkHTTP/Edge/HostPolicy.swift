#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

/// Which `Host` values the server answers: the names it is known by. A page on any domain that
/// its owner points at 127.0.0.1 (DNS rebinding) reaches the server with that domain as `Host`,
/// so a name nobody configured is refused; an IP literal cannot be rebound and is always served.
struct HostPolicy: Sendable {
    /// The configured `host` as a name (lowercase, no trailing dot).
    private let boundName: String
    /// `allowed_hosts`, lowercase glob patterns.
    private let patterns: [String]

    init(host: String, allowedHosts: [String]) {
        boundName = Self.normalised(host)
        patterns = allowedHosts.map(Self.normalised)
    }

    /// Whether a request whose `Host` header is `header` (`nil`: none was sent) is served.
    ///
    /// No `Host` is served: every browser sends one, so such a request cannot come from a page,
    /// and HTTP/1.0 clients and simple probes may leave it out.
    func allows(hostHeader header: String?) -> Bool {
        guard let header else { return true }
        let value = header.trimmedSpaces
        if value.isEmpty { return true }
        if value.hasPrefix("[") {
            // `[v6]` or `[v6]:port`; only an address may stand between the brackets.
            guard let close = value.firstIndex(of: "]") else { return false }
            let rest = value[value.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && Self.isPort(rest.dropFirst())) else { return false }
            return Self.isIPv6(String(value[value.index(after: value.startIndex)..<close]))
        }
        // `name[:port]` and nothing else: `evil.com/.localhost` is not a name ending in .localhost.
        let nameEnd = value.firstIndex(of: ":") ?? value.endIndex
        guard nameEnd == value.endIndex || Self.isPort(value[value.index(after: nameEnd)...]) else { return false }
        let name = Self.normalised(String(value[..<nameEnd]))
        guard !name.isEmpty, name.utf8.allSatisfy(Self.isNameByte) else { return false }
        if Self.isIPv4(name) || Self.isLoopbackName(name) || name == boundName { return true }
        return patterns.contains { InputFilter.glob($0, matches: name) }
    }

    /// `localhost`, `*.localhost` (RFC 6761: they always resolve to loopback), a 127/8 address or `::1`.
    static func isLoopback(_ host: String) -> Bool {
        var name = normalised(host)
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if isLoopbackName(name) { return true }
        if isIPv4(name) { return name.hasPrefix("127.") }
        var address = in6_addr()
        guard inet_pton(AF_INET6, name, &address) == 1 else { return false }
        return withUnsafeBytes(of: &address) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
    }

    /// Why an `allowed_hosts` entry cannot match any `Host` value, or `nil` when it is fine.
    static func problem(withPattern pattern: String) -> String? {
        if pattern.isEmpty { return "allowed_hosts entries cannot be empty; write a name such as cache.internal or *.svc.cluster.local" }
        if pattern.contains("://") || pattern.contains("/") {
            return "allowed_hosts entry \"\(pattern)\" is not a host name; write the name alone, e.g. cache.internal (no scheme, no path)"
        }
        if pattern.contains(":") {
            return "allowed_hosts entry \"\(pattern)\" has a port; write the name alone (the port of the Host header is ignored)"
        }
        if pattern.contains(where: { $0 == " " || $0 == "\t" }) { return "allowed_hosts entry \"\(pattern)\" contains a space" }
        return nil
    }

    /// Letters, digits, `-`, `_` and `.`: what a DNS name or an IPv4 address is made of.
    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."): true
        default: false
        }
    }

    /// An empty port (RFC 3986 allows `host:`) or 0–65535 in digits.
    private static func isPort(_ text: Substring) -> Bool {
        text.isEmpty || (text.count <= 5 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } && Int(text).map { $0 <= 65535 } ?? false)
    }

    private static func isLoopbackName(_ name: String) -> Bool {
        name == "localhost" || name.hasSuffix(".localhost")
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }

    /// DNS names are case-insensitive and `name.` is `name`.
    private static func normalised(_ name: String) -> String {
        let lower = name.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }
}

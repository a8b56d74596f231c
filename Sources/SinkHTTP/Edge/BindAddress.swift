#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the configured `host` binds to, looked up the way the server's bind looks it up
/// (`getaddrinfo`), so `validate` refuses exactly the names `run` cannot bind.
enum BindAddress {
    enum Lookup: Equatable {
        /// The addresses, as text (`127.0.0.1`, `::1`).
        case addresses([String])
        /// Why the name does not resolve.
        case failed(String)
    }

    static func resolve(_ host: String) -> Lookup {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0 else { return .failed(String(cString: gai_strerror(code))) }
        defer { freeaddrinfo(list) }
        var addresses: [String] = []
        var node = list
        while let current = node {
            if let text = text(of: current.pointee), !addresses.contains(text) { addresses.append(text) }
            node = current.pointee.ai_next
        }
        return .addresses(addresses)
    }

    /// Whether every address `host` stands for is a loopback address (127/8 or ::1).
    static func isLoopbackOnly(_ host: String) -> Bool {
        guard case .addresses(let addresses) = resolve(host), !addresses.isEmpty else { return false }
        return addresses.allSatisfy { $0.hasPrefix("127.") || $0 == "::1" }
    }

    private static func text(of info: addrinfo) -> String? {
        guard let address = info.ai_addr else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch info.ai_family {
        case AF_INET:
            var v4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &v4, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        case AF_INET6:
            var v6 = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            guard inet_ntop(AF_INET6, &v6, &buffer, socklen_t(buffer.count)) != nil else { return nil }
        default:
            return nil
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

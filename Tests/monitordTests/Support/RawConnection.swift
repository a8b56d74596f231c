#if canImport(Glibc)
import Glibc
#endif

/// One TCP connection to 127.0.0.1 driven byte by byte, for what an HTTP client library will not
/// do: hold a connection idle, send a head a byte at a time, set a hostile `Host`, reset at once.
/// It belongs to the task that made it.
final class RawConnection {
    private var fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MonitordProcessError("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw MonitordProcessError("connect() to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Writes all of `bytes`; throws once the server has closed the connection.
    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw MonitordProcessError("send() failed: errno \(errno)") }
            sent += n
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Whatever the server sent within `milliseconds`, and whether it closed the connection.
    func receive(waitingUpTo milliseconds: Int32) -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        var wait = milliseconds
        while poll(&pollFD, 1, wait) > 0 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (bytes, true) }
            bytes += chunk[..<n]
            wait = 0
        }
        return (bytes, false)
    }

    /// One whole response (head and `Content-Length` body) within `seconds`, or what came before the close.
    func response(within seconds: Int = 10) throws -> HTTP.Response {
        var bytes: [UInt8] = []
        for _ in 0..<(seconds * 10) {
            let (more, closed) = receive(waitingUpTo: 100)
            bytes += more
            if let response = Self.parse(bytes, complete: closed) { return response }
            if closed { break }
        }
        throw MonitordProcessError("no complete HTTP response, got: \(String(decoding: bytes, as: UTF8.self))")
    }

    /// Closes with a reset (RST) instead of a clean FIN, as a crashed client or a killed tab does.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
        fd = -1
    }

    private static func parse(_ bytes: [UInt8], complete: Bool) -> HTTP.Response? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<headEnd.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        let body = Array(text[headEnd.upperBound...].utf8)
        let length = headers.first { $0.0.lowercased() == "content-length" }.flatMap { Int($0.1) }
        if let length, body.count < length { return nil }
        if length == nil, !complete { return nil }
        return HTTP.Response(status: status, headers: headers, body: length.map { Array(body.prefix($0)) } ?? body)
    }
}

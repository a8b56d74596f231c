import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Sends a request exactly as written, for paths a URL-normalising client would rewrite
/// (malformed percent escapes, bytes that are not UTF-8).
enum RawHTTP {
    static func send(port: Int, method: String, path: String, host: String = "127.0.0.1", body: [UInt8] = []) async throws -> TestResponse {
        let request = Array("\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        // A thread of its own: the blocking read must not hold one of the few cooperative threads
        // that the server under test needs to answer it.
        let reply = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try exchange(port: port, request: request) }) }
        }
        return try parse(reply)
    }

    /// A connection left open, for requests that are never finished.
    final class Connection {
        let fd: Int32

        init(port: Int) throws {
            fd = try RawHTTP.connect(port: port)
        }

        func send(_ text: String) throws {
            let bytes = Array(text.utf8)
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n == bytes.count else { throw HarnessError("write() failed") }
        }

        /// Reads one response head (through its blank line) and nothing after it, on a thread
        /// of its own; gives up after 10 s.
        func readHead() async throws -> String {
            let fd = fd
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<String, any Error>) in
                Thread.detachNewThread {
                    var timeout = timeval(tv_sec: 10, tv_usec: 0)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    var head: [UInt8] = []
                    var byte: UInt8 = 0
                    while !head.suffix(4).elementsEqual(Array("\r\n\r\n".utf8)) {
                        guard read(fd, &byte, 1) == 1 else {
                            continuation.resume(throwing: HarnessError("the connection ended or timed out after \(String(decoding: head, as: UTF8.self))"))
                            return
                        }
                        head.append(byte)
                    }
                    continuation.resume(returning: String(decoding: head, as: UTF8.self))
                }
            }
        }

        /// Reads until the server ends the connection and returns what came; throws when no
        /// byte comes for 10 s and the connection is still open.
        func readToEnd() async throws -> [UInt8] {
            let fd = fd
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
                Thread.detachNewThread {
                    var timeout = timeval(tv_sec: 10, tv_usec: 0)
                    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                    var received: [UInt8] = []
                    var chunk = [UInt8](repeating: 0, count: 1 << 16)
                    while true {
                        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                        if n == 0 { break }
                        guard n > 0 else {
                            continuation.resume(throwing: HarnessError("the connection is still open after \(received.count) bytes, and nothing came for 10 s"))
                            return
                        }
                        received += chunk[..<n]
                    }
                    continuation.resume(returning: received)
                }
            }
        }

        func close() { _ = Glibc.close(fd) }
    }

    static func open(port: Int) throws -> Connection { try Connection(port: port) }

    private static func exchange(port: Int, request: [UInt8]) throws -> [UInt8] {
        let fd = try connect(port: port)
        defer { close(fd) }
        return try exchange(fd: fd, request: request)
    }

    private static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw HarnessError("connect() to port \(port) failed")
        }
        return fd
    }

    private static func exchange(fd: Int32, request: [UInt8]) throws -> [UInt8] {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw HarnessError("write() failed") }
            sent += n
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            reply += chunk[..<n]
        }
        return reply
    }

    private static func parse(_ reply: [UInt8]) throws -> TestResponse {
        let text = String(decoding: reply, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { throw HarnessError("no HTTP response head in \(text)") }
        let lines = text[..<headEnd.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ")[1]) else {
            throw HarnessError("bad status line in \(text)")
        }
        let headers = lines.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " }))
        }
        return TestResponse(status: status, headers: headers, body: Array(text[headEnd.upperBound...].utf8))
    }
}

extension RawHTTP {
    /// Sends a request whose path is raw bytes (not necessarily UTF-8), as a hostile client may.
    static func send(port: Int, method: String, pathBytes: [UInt8], body: [UInt8] = []) async throws -> TestResponse {
        let request =
            Array("\(method) ".utf8) + pathBytes
            + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        // A thread of its own, as in `send(port:method:path:)`.
        let reply = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8], any Error>) in
            Thread.detachNewThread { continuation.resume(with: Result { try exchange(port: port, request: request) }) }
        }
        return try parse(reply)
    }
}

import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real HTTP/1.1 receiver on 127.0.0.1 for notifier tests: it records each request and answers
/// with the next scripted status (then 200), one request per connection.
final class HTTPReceiver: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let port: Int
    private let listener: Int32
    private let state: Mutex<(requests: [Request], statuses: [Int], stopped: Bool)>

    init(statuses: [Int] = []) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ReceiverError("socket failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw ReceiverError("bind/listen failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        state = Mutex((requests: [], statuses: statuses, stopped: false))
        Thread.detachNewThread { [self] in self.serve() }
    }

    var requests: [Request] { state.withLock { $0.requests } }

    /// Waits until at least `count` requests arrived, or the deadline passed (generous: the whole
    /// suite runs in parallel on two cores, and one run here saw no request within 10 s).
    func waitForRequests(_ count: Int, within seconds: Double = 30) async -> [Request] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            let current = requests
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return requests
    }

    /// Wakes the accept loop, which closes the listener itself: closing it here could hand its
    /// descriptor number to the next test's receiver while this loop still calls accept on it.
    func stop() {
        state.withLock { $0.stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if state.withLock({ $0.stopped }) {
                if connection >= 0 { close(connection) }
                close(listener)
                return
            }
            if connection < 0 { continue }
            handle(connection)
            close(connection)
        }
    }

    private func handle(_ fd: Int32) {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { return }
            data.append(contentsOf: buffer[0..<n])
            if headerEnd == nil, let end = Self.find([13, 10, 13, 10], in: data) {
                headerEnd = end + 4
                let head = String(decoding: data[0..<end], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
            if let headerEnd, data.count >= headerEnd + contentLength { break }
        }
        guard let headerEnd else { return }
        let head = String(decoding: data[0..<headerEnd - 4], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let requestLine = lines.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(
            method: requestLine.count > 0 ? String(requestLine[0]) : "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers, body: Array(data[headerEnd..<headerEnd + contentLength]))
        let status = state.withLock { s -> Int in
            s.requests.append(request)
            return s.statuses.isEmpty ? 200 : s.statuses.removeFirst()
        }
        let response = Array("HTTP/1.1 \(status) Status\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)
        _ = response.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<i + needle.count]) == needle { return i }
        return nil
    }
}

struct ReceiverError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

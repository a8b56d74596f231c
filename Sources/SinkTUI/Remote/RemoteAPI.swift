import AsyncHTTPClient
import MonitorKitCore
import NIOCore
import NIOHTTP1

/// The few requests the view makes of a remote monitord's HTTP API.
struct RemoteAPI: Sendable {
    let client: HTTPClient
    /// `http://host:port`, without a trailing slash.
    let baseURL: String
    let token: String?

    /// A plain request (not the event stream) must answer within this.
    static let requestTimeout: TimeAmount = .seconds(5)
    /// The largest answer read (a history of 600 cache samples is about half a megabyte).
    static let maximumBody = 32 << 20

    func get(_ path: String) async throws -> Value {
        try await send(path, method: .GET)
    }

    func delete(_ path: String) async throws -> Value {
        try await send(path, method: .DELETE)
    }

    /// Opens `GET /api/events`; the body streams until the server or the network ends it.
    func openEvents() async throws -> HTTPClientResponse.Body {
        var request = makeRequest("/api/events", method: .GET)
        request.headers.add(name: "Accept", value: "text/event-stream")
        // No deadline: the stream lives for as long as the view; the client's read timeout
        // (three missed heartbeats) catches a silent dead peer.
        let response = try await client.execute(request, deadline: .distantFuture)
        guard response.status == .ok else {
            let body = try? await response.body.collect(upTo: 1 << 16)
            throw RemoteError(status: Int(response.status.code), path: "/api/events", body: body.map { Array($0.readableBytesView) })
        }
        return response.body
    }

    private func makeRequest(_ path: String, method: HTTPMethod) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token, !token.isEmpty { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        return request
    }

    private func send(_ path: String, method: HTTPMethod) async throws -> Value {
        let response = try await client.execute(makeRequest(path, method: method), timeout: Self.requestTimeout)
        let body = Array(try await response.body.collect(upTo: Self.maximumBody).readableBytesView)
        guard response.status == .ok else {
            throw RemoteError(status: Int(response.status.code), path: path, body: body)
        }
        do {
            return try JSONParser.parse(body)
        } catch {
            throw RemoteError(status: nil, path: path, message: "the answer is not JSON (\(error))")
        }
    }

    /// `/api/<source>/<rest>` with the id percent-encoded, as the API decodes it.
    static func sourcePath(_ source: String, _ rest: String) -> String {
        var encoded = ""
        for byte in source.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return "/api/\(encoded)/\(rest)"
    }
}

/// A request the remote refused or that could not be made, in words for the footer.
struct RemoteError: Error, Sendable, CustomStringConvertible {
    var status: Int?
    var path: String
    var message: String

    init(status: Int?, path: String, message: String) {
        self.status = status
        self.path = path
        self.message = message
    }

    /// From an error answer: the API's `{"error": {"message"}}` when there is one.
    init(status: Int, path: String, body: [UInt8]?) {
        self.status = status
        self.path = path
        let parsed = body.flatMap { try? JSONParser.parse($0) }.flatMap(EventJSON.errorMessage)
        // A refused token needs one hint, not the server's explanation of bearer tokens.
        self.message = status == 401 ? "unauthorized: pass --token or set MONITORD_API_TOKEN" : parsed ?? "HTTP \(status)"
    }

    var isUnauthorized: Bool { status == 401 || status == 403 }

    var description: String {
        status.map { "\($0) \(message) (\(path))" } ?? "\(message) (\(path))"
    }

    /// Any error from a request, in a few words a user can act on.
    static func describe(_ error: any Error) -> String {
        if let error = error as? RemoteError { return error.description }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return "connection timed out"
            case .readTimeout: return "no data from the server for too long"
            case .remoteConnectionClosed: return "the server closed the connection"
            case .deadlineExceeded: return "the request timed out"
            case .cancelled: return "cancelled"
            default: return "\(error)"
            }
        }
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("connection refused") { return "connection refused" }
        if text.contains("Connection reset") { return "connection reset" }
        if let tls = ClientTLSFiles.explain(text) { return tls }
        return text
    }

}

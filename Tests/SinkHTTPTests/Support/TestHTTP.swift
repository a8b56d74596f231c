import AsyncHTTPClient
import MonitorKitCore
import NIOCore
import NIOHTTP1

/// One HTTP answer, body collected.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    func json() throws -> Value { try JSONParser.parse(body) }
    /// `error.code` of an error answer.
    var errorCode: String? { (try? json())?["error"]?["code"]?.stringValue }
}

/// The real client the tests talk through (AsyncHTTPClient).
enum TestHTTP {
    static func request(
        _ method: String, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        streamedBody: (chunks: Int, chunkSize: Int)? = nil
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        if let streamedBody {
            // No Content-Length: the server only learns the size by reading.
            let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: streamedBody.chunkSize)
            request.body = .stream(ChunkSequence(chunk: chunk, count: streamedBody.chunks), length: .unknown)
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let buffer = try await response.body.collect(upTo: 256 << 20)
        return TestResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer.readableBytesView))
    }
}

/// `count` copies of one buffer, as an async body.
struct ChunkSequence: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let chunk: ByteBuffer
    let count: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        let chunk: ByteBuffer
        var remaining: Int
        mutating func next() async -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            return chunk
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(chunk: chunk, remaining: count) }
}

extension Value {
    /// `value["a"]?["b"]` on nested objects.
    subscript(key: String) -> Value? { objectValue?[key] }

    /// The names of an object's fields, in order.
    var keys: [String] { objectValue?.names ?? [] }
}

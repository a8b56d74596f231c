import Hummingbird
import MonitorKitCore

/// Builds JSON responses from ``JSONWriter`` output without a second encoding pass.
enum JSONResponse {
    static func make(_ writer: JSONWriter, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    static func make(_ fields: Fields, status: HTTPResponse.Status = .ok, capacity: Int = 512) -> Response {
        var writer = JSONWriter(capacity: capacity)
        writer.write(fields)
        return make(writer, status: status)
    }
}

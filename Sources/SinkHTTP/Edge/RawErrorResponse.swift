import MonitorKitCore
import NIOCore

/// A whole error answer as bytes, for the handlers in front of the HTTP codec (a request that
/// never finished, a connection over the cap): the same JSON body and headers as any API error.
enum RawErrorResponse {
    static func bytes(status: Int, reason: String, code: String, message: String) -> ByteBuffer {
        var writer = JSONWriter(capacity: 96 + message.utf8.count)
        writer.write(["error": .object(["code": .string(code), "message": .string(message)])] as Fields)
        let body = writer.bytes
        var buffer = ByteBuffer()
        buffer.writeString(
            "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
                + "Connection: close\r\nX-Content-Type-Options: nosniff\r\n"
                + "Content-Security-Policy: \(APIPolicy.contentSecurityPolicy)\r\n\r\n")
        buffer.writeBytes(body)
        return buffer
    }
}

import MonitorKitCore
import NIOCore
import NIOHTTP1
import NIOHTTPTypesHTTP1
import NIOSSL

/// Sends a value that lies in a file with `sendfile`, as nginx does: the kernel moves the bytes
/// from the page cache to the socket, and the daemon holds no buffer for them. Hummingbird's
/// response writer takes only buffers, so the file region is written into the connection's
/// pipeline just below it, into NIO's HTTP/1 encoder, after the head the writer has already
/// handed over and before the end it writes next. Plain-text connections only: TLS has to read
/// the bytes to encrypt them, and those connections read the file a chunk at a time.
struct FileSender: Sendable {
    let channel: any Channel

    /// Writes `range` of the value in `region` as the body of the current response and returns
    /// `true` once the socket has taken all of it (a slow reader keeps one descriptor, no
    /// memory); `false`, having written nothing, when the connection cannot take a file (TLS:
    /// the caller reads the file instead). Closes `region`'s descriptor in every case.
    func send(_ region: ValueFileRegion, range: Range<Int>) async throws -> Bool {
        let handle = NIOFileHandle(_deprecatedTakingOwnershipOfDescriptor: region.descriptor)
        defer { try? handle.close() }
        let file = FileRegion(fileHandle: handle, readerIndex: region.offset + range.lowerBound, endIndex: region.offset + range.upperBound)
        let channel = channel
        // On the event loop, behind the head: the response writer's writes reach the pipeline
        // as tasks on this loop in the order they were made, and this one is queued after them.
        return try await channel.eventLoop.flatSubmit { () -> EventLoopFuture<Bool> in
            do {
                // NIOSSL takes only buffers (a file region would trap): checked here as well as
                // by the server, which gives TLS connections no sender.
                if (try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self)) != nil {
                    return channel.eventLoop.makeSucceededFuture(false)
                }
                let codec = try channel.pipeline.syncOperations.context(handlerType: HTTP1ToHTTPServerCodec.self)
                return codec.writeAndFlush(NIOAny(HTTPServerResponsePart.body(.fileRegion(file)))).map { true }
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }.get()
    }
}

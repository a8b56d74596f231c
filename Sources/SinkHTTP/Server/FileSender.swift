#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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
        let end = region.offset + range.upperBound
        let file = FileRegion(fileHandle: handle, readerIndex: region.offset + range.lowerBound, endIndex: end)
        let channel = channel
        // On the event loop, behind the head: the response writer's writes reach the pipeline
        // as tasks on this loop in the order they were made, and this one is queued after them.
        let written = channel.eventLoop.flatSubmit { () -> EventLoopFuture<Bool> in
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
        }
        // A file cut short under the transfer (an outsider's truncate: the cache never writes an
        // entry in place) makes sendfile return 0 at its new end, which NIO retries at once, for
        // ever: the event loop spins and the write never completes. While it is under way the
        // file's length is checked twice a second, and the connection closed if it shrank, which
        // fails the write; the lookup after it finds the entry damaged.
        return try await withThrowingTaskGroup(of: Bool?.self) { group in
            group.addTask { try await written.get() }
            group.addTask {
                var info = stat()
                while !Task.isCancelled {
                    try await Task.sleep(for: Self.lengthCheckInterval)
                    if fstat(region.descriptor, &info) != 0 || Int(info.st_size) < end {
                        try? await channel.close()
                        throw FileShrank()
                    }
                }
                return nil
            }
            defer { group.cancelAll() }
            while let outcome = try await group.next() {
                if let sent = outcome { return sent }
            }
            return false
        }
    }

    /// How often a file being sent is checked for having been cut short.
    static let lengthCheckInterval = Duration.milliseconds(500)

    struct FileShrank: Error, CustomStringConvertible {
        var description: String { "the entry's file was cut short while it was being sent" }
    }
}

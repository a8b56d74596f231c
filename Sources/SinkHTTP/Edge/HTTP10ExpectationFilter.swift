import NIOCore
import NIOHTTP1

/// RFC 9110 section 10.1.1: a server MUST ignore an `Expect: 100-continue` in an HTTP/1.0
/// request (such a client does not know interim answers). HTTP types carry no version, so the
/// routes cannot tell; this handler, between NIO's decoder and the HTTP types codec, takes the
/// expectation out of an HTTP/1.0 request's head before Hummingbird sees it.
final class HTTP10ExpectationFilter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(var head) = unwrapInboundIn(data), head.version == .http1_0, head.headers.contains(name: "expect") else {
            context.fireChannelRead(data)
            return
        }
        head.headers.remove(name: "expect")
        context.fireChannelRead(wrapInboundOut(.head(head)))
    }
}

import NIOCore

/// Answers a connection over the cap with 503 as soon as it is active, then closes it.
final class ConnectionRefusal: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { refuse(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        refuse(context)
    }

    private func refuse(_ context: ChannelHandlerContext) {
        let answer = RawErrorResponse.bytes(
            status: 503, reason: "Service Unavailable", code: "too_many_connections",
            message: "the server has \(limit) connections open, all of them mid-request (max_connections); retry later")
        context.writeAndFlush(wrapOutboundOut(answer), promise: nil)
        context.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is not served; what it sends is dropped.
    }
}

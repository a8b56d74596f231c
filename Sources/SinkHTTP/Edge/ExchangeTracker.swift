import NIOCore
import NIOHTTPTypes

/// Sits behind the HTTP codec and follows each exchange: tells the ``ConnectionLimiter`` when a
/// request starts, its body moves, it has been read and its response ends, and tells the
/// ``RequestDeadlineHandler`` when a request has been read and when its response ended.
final class ExchangeTracker: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limiter: ConnectionLimiter

    init(limiter: ConnectionLimiter) {
        self.limiter = limiter
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: limiter.requestStarted(on: context.channel)
        case .body: limiter.bodyProgressed(on: context.channel)
        case .end:
            limiter.requestRead(on: context.channel)
            context.triggerUserOutboundEvent(ExchangeEvent.requestRead, promise: nil)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let isEnd = if case .end = unwrapOutboundIn(data) { true } else { false }
        context.write(data, promise: promise)
        if isEnd {
            limiter.exchangeEnded(on: context.channel)
            context.triggerUserOutboundEvent(ExchangeEvent.responseEnded, promise: nil)
        }
    }
}

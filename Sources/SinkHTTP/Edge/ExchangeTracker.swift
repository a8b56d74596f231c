import NIOCore
import NIOHTTPTypes

/// Sits behind the HTTP codec and follows each exchange: marks the connection busy for the
/// ``ConnectionLimiter`` from request head to response end, and tells the
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
        case .head: limiter.exchangeStarted(on: context.channel)
        case .end: context.triggerUserOutboundEvent(ExchangeEvent.requestRead, promise: nil)
        case .body: break
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

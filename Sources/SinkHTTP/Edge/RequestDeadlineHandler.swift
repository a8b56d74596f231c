import NIOCore

/// `request_timeout`: once the first byte of a request arrives, its head and body must be read
/// within the timeout, or the client gets 408 and the connection is closed. It sits in front of
/// the HTTP decoder because a head sent a byte at a time (slowloris) never reaches the handlers
/// behind it; ``ExchangeTracker`` reports from behind the decoder when the request is complete.
final class RequestDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private enum Phase {
        /// Between requests: `idle_timeout` applies, not this one.
        case waiting
        /// Bytes of a request have arrived, not all of it yet.
        case reading
        /// Read in full; the response is being produced.
        case responding
    }

    private let timeout: TimeAmount
    private let timeoutText: String
    private var phase = Phase.waiting
    private var deadline: Scheduled<Void>?

    init(timeout: Duration) {
        self.timeout = TimeAmount(timeout)
        self.timeoutText = timeout.configText
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .waiting {
            phase = .reading
            let loopBound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                loopBound.value.handler.expire(context: loopBound.value.context)
            }
        }
        context.fireChannelRead(data)
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        guard let event = event as? ExchangeEvent else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        cancelDeadline()
        switch event {
        case .requestRead: if phase == .reading { phase = .responding }
        case .responseEnded: phase = .waiting
        }
        promise?.succeed()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelDeadline()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelDeadline()
    }

    private func cancelDeadline() {
        deadline?.cancel()
        deadline = nil
    }

    private func expire(context: ChannelHandlerContext) {
        deadline = nil
        guard phase == .reading else { return }
        // Only bytes of a partial request have been seen, so no response has started: a 408 of our own is a whole answer.
        let answer = RawErrorResponse.bytes(
            status: 408, reason: "Request Timeout", code: "request_timeout",
            message: "the request did not arrive in full within request_timeout (\(timeoutText)); send the head and body without pausing")
        context.writeAndFlush(wrapOutboundOut(.byteBuffer(answer)), promise: nil)
        context.close(promise: nil)
    }
}

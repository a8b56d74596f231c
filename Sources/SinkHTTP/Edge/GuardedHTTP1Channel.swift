import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypesHTTP1
import NIOSSL

/// Hummingbird's HTTP/1 child channel with the edge's guards: the connection cap
/// (``ConnectionLimiter``), the request deadline in front of the codec
/// (``RequestDeadlineHandler``) and the exchange tracking behind it (``ExchangeTracker``, set
/// up through the HTTP/1 configuration's additional handlers), behind TLS when the sink has
/// `tls:`.
struct GuardedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http1: HTTP1Channel
    let limiter: ConnectionLimiter
    let requestTimeout: Duration
    let tls: APIServer.TLS?

    // Connections are counted here, as each is set up: Hummingbird's server takes no handler of
    // ours on its listening channel, and its AvailableConnectionsDelegate only stops accepting,
    // which would leave a fresh client waiting in the backlog behind idle ones.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let limiter = self.limiter
        let refused: Bool
        switch limiter.admit(channel) {
        case .admitted(let evicting):
            evicting?.close(promise: nil)
            channel.closeFuture.whenComplete { _ in limiter.release(channel) }
            refused = false
        case .refused:
            refused = true
        }
        let requestTimeout = self.requestTimeout
        return channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            if let tls {
                // The context as it is now: a reload that swapped it does not touch open connections.
                try operations.addHandler(NIOSSLServerHandler(context: tls.terminator.context))
                try operations.addHandler(InboundGate())
                if let peers = tls.peers { try operations.addHandler(VerifiedPeers.Recorder(peers)) }
            }
            if refused {
                // Set up as usual so Hummingbird gets its channel, but answered and closed at once.
                try operations.addHandler(ConnectionRefusal(limit: limiter.limit))
            } else {
                try operations.addHandler(RequestDeadlineHandler(timeout: requestTimeout))
            }
        }.flatMap {
            http1.setup(channel: channel, logger: logger)
        }.flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let codec = try operations.handler(type: HTTP1ToHTTPServerCodec.self)
            try operations.addHandler(HTTP10ExpectationFilter(), position: .before(codec))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await http1.handle(value: value, logger: logger)
    }
}

import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// Hummingbird's HTTP/1 server and router, driven without `Application`: `Application` tags
/// every request with a request id in its logger's metadata, which a profile of the stats
/// route put at 4% of the server's CPU for logs this sink never writes per request.
enum APIServer {
    /// The connection limits of the edge.
    struct Limits: Sendable {
        var idleTimeout: Duration
        var requestTimeout: Duration
        var limiter: ConnectionLimiter
    }

    /// HTTPS: the context new connections get, and who proved to be a known client.
    struct TLS: Sendable {
        var terminator: TLSTerminator
        /// Set with `auth: either`, where some clients connect without a certificate.
        var peers: VerifiedPeers?
        /// With a required client certificate, every connection that got this far has one.
        var everyClientVerified: Bool
    }

    /// The server and the `Date` header service it reads, in start order.
    static func services(
        router: Router<APIRequestContext>, host: String, port: Int, limits: Limits, tls: TLS?, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void
    ) throws -> [any Service] {
        let responder = router.buildResponder()
        let date = HTTPDateHeader()
        let builder = HTTPServerBuilder { responder in
            let limiter = limits.limiter
            let http1 = HTTP1Channel(
                responder: responder,
                configuration: .init(
                    additionalChannelHandlers: [ExchangeTracker(limiter: limiter)], idleTimeout: TimeAmount(limits.idleTimeout)))
            return GuardedHTTP1Channel(http1: http1, limiter: limiter, requestTimeout: limits.requestTimeout, tls: tls)
        }
        let server = try builder.buildServer(
            configuration: ServerConfiguration(address: .hostname(host, port: port)),
            eventLoopGroup: EventLoopGroupProvider.singleton.eventLoopGroup,
            logger: logger,
            responder: { request, writer, channel in
                var context = APIRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
                if let tls {
                    context.fileSender = nil   // TLS reads the bytes to encrypt them
                    context.clientCertificateVerified = tls.everyClientVerified || (tls.peers?.contains(channel) ?? false)
                }
                var response: Response
                do {
                    response = try await responder.respond(to: request, context: context)
                } catch let error as HTTPParserError {
                    // The connection handler answers 400 and closes.
                    throw error
                } catch {
                    response = Response(status: .internalServerError)
                }
                response.headers[.date] = date.value
                do {
                    try await writer.write(response: response.head, body: response.body)
                } catch is HTTPParserError {
                    // A parser error now must not make the handler write a second response.
                    throw ResponseWriteFailed()
                }
            },
            onServerRunning: { channel in
                onListening(channel.localAddress?.port ?? port)
            })
        return [date, server]
    }

    private struct ResponseWriteFailed: Error {}
}

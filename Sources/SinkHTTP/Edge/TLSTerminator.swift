import NIOCore
import NIOSSL
import NIOTLS
import Synchronization

/// The edge's TLS: the server context each new connection starts its handshake with. A reload
/// swaps it for one made from the files as they are now; connections already open keep the
/// one they started with.
final class TLSTerminator: Sendable {
    /// What is served now.
    struct Serving: Sendable {
        var context: NIOSSLContext
        var material: TLSMaterial
    }

    let minimumVersion: TLSVersion
    let clientCertificates: TLSMaterial.ClientCertificates
    private let serving: Mutex<Serving>

    init(config: HTTPTLSConfig, auth: HTTPAuthMode) throws {
        minimumVersion = config.minVersion.nio
        clientCertificates = config.clientCAFile == nil ? .none : auth == .either ? .optional : .required
        let context = try config.material.context(minimumVersion: minimumVersion, clientCertificates: clientCertificates)
        serving = Mutex(Serving(context: context, material: config.material))
    }

    /// The context for a connection accepted now.
    var context: NIOSSLContext { serving.withLock { $0.context } }

    /// The certificate served now.
    var material: TLSMaterial { serving.withLock { $0.material } }

    /// Serves `material` to new connections. Throws, and keeps serving the old one, when no
    /// context can be made of it.
    func replace(with material: TLSMaterial) throws {
        let context = try material.context(minimumVersion: minimumVersion, clientCertificates: clientCertificates)
        serving.withLock { $0 = Serving(context: context, material: material) }
    }
}

/// The connections whose client presented a certificate that `client_ca_file` signed, for
/// `auth: either`, where such a certificate stands in for the token. Kept by connection, from
/// the end of its handshake until it closes.
final class VerifiedPeers: Sendable {
    private let channels = Mutex<Set<ObjectIdentifier>>([])

    func contains(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        return channels.withLock { $0.contains(id) }
    }

    fileprivate func insert(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        _ = channels.withLock { $0.insert(id) }
    }

    fileprivate func remove(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        _ = channels.withLock { $0.remove(id) }
    }

    /// Notes the connection when its handshake completes with a client certificate, which the
    /// TLS handler has then checked against the CA (a certificate that fails the check fails
    /// the handshake).
    final class Recorder: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = NIOAny
        private let peers: VerifiedPeers

        init(_ peers: VerifiedPeers) {
            self.peers = peers
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if case .handshakeCompleted = event as? TLSUserEvent,
               let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
               tls.peerCertificate != nil {
                peers.insert(context.channel)
            }
            context.fireUserInboundEventTriggered(event)
        }

        func channelInactive(context: ChannelHandlerContext) {
            peers.remove(context.channel)
            context.fireChannelInactive()
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            peers.remove(context.channel)
        }
    }
}

/// Right behind TLS: once shut, drops whatever the connection still decrypts. Closing a TLS
/// connection waits for the peer's close_notify, and a request read meanwhile would otherwise
/// be served (and its answer lost): a connection closed because its client CA was withdrawn
/// must not write another entry.
final class InboundGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    private var shut = false

    /// Drops everything read from now on, and closes the connection. On its event loop.
    func shutAndClose(context channel: any Channel) {
        shut = true
        channel.close(promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !shut else { return }
        context.fireChannelRead(data)
    }
}

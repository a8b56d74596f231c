import Hummingbird
import NIOCore

/// Hummingbird's basic request context, plus what the connection proved about its client.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client presented a certificate that `client_ca_file` signed (always, with
    /// `auth: client_cert`; where it did, with `auth: either`).
    var clientCertificateVerified = false

    /// The connection's event loop: a streamed answer waits on it between chunks (see
    /// ``APIRoutes/response(for:to:withBody:pacedOn:)``).
    let eventLoop: (any EventLoop)?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        eventLoop = source.channel.eventLoop
    }
}

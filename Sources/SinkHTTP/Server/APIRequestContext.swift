import Hummingbird

/// Hummingbird's basic request context, plus what the connection proved about its client.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client presented a certificate that `client_ca_file` signed (always, with
    /// `auth: client_cert`; where it did, with `auth: either`).
    var clientCertificateVerified = false

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

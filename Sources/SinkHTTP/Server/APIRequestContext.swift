import HTTPTypes
import Hummingbird
import NIOHTTPTypes
import NIOCore

/// Hummingbird's basic request context, plus what the connection proved about its client.
struct APIRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The client presented a certificate that `client_ca_file` signed (always, with
    /// `auth: client_cert`; where it did, with `auth: either`).
    var clientCertificateVerified = false

    /// The connection, for the interim `100 Continue` (``sendContinueIfExpected(_:)``).
    private let channel: any Channel
    /// Sends values that lie in files with `sendfile`; `nil` on a TLS connection (the server sets it).
    var fileSender: FileSender?

    /// The connection's event loop: a streamed answer waits on it between chunks (see
    /// ``APIRoutes/response(for:to:withBody:pacedOn:sender:)``).
    var eventLoop: (any EventLoop)? { channel.eventLoop }

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        fileSender = FileSender(channel: source.channel)
    }

    /// Answers `Expect: 100-continue` with the interim `100 Continue`, so a client that waits
    /// for it (curl does for a body over 1 MiB, for a second) sends the body now. Called by a
    /// route only once it has accepted the request (authorized, under the size limit) and is
    /// about to read the body: a refused one gets its final answer instead, and the client
    /// need not send the body at all (RFC 9110 section 10.1.1).
    func sendContinueIfExpected(_ request: Request) async {
        guard let expect = request.headers[.expect],
            expect.lowercased() == "100-continue"  // field values come without surrounding spaces
        else { return }
        // The head goes down the same pipeline as the final answer's, which follows it.
        try? await channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue))).get()
    }
}

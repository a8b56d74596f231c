import Hummingbird

/// With `auth_token` set: mutating requests (and, with `protect_reads`, reads too) need
/// `Authorization: Bearer <token>`; the token is compared in constant time. With
/// `auth: either`, a client certificate that `client_ca_file` signed does instead.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    private let token: BearerToken
    private let protectReads: Bool
    private let acceptsClientCertificate: Bool

    init(token: String, protectReads: Bool, acceptsClientCertificate: Bool = false) {
        self.token = BearerToken(token)
        self.protectReads = protectReads
        self.acceptsClientCertificate = acceptsClientCertificate
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard needsToken(request), !(acceptsClientCertificate && context.clientCertificateVerified), !isAuthorized(request) else {
            return try await next(request, context)
        }
        let needs = acceptsClientCertificate
            ? "a client certificate signed by client_ca_file or an Authorization: Bearer <token> header"
            : "an Authorization: Bearer <token> header (auth_token is set)"
        var error = APIError(
            status: .unauthorized, code: "unauthorized",
            message: request.headers[.authorization] == nil
                ? "this route needs \(needs)"
                : "the bearer token does not match auth_token")
        error.headers[.wwwAuthenticate] = "Bearer realm=\"monitord\""
        throw error
    }

    private func needsToken(_ request: Request) -> Bool {
        switch request.method {
        case .get, .head:
            guard protectReads else { return false }
            // Probes, the page shell and the API description stay open.
            let path = request.uri.path
            return !(path == "/health" || path == "/" || path == "/openapi.yaml" || path.hasPrefix("/assets/"))
        case .options:
            // CORS preflights carry no credentials by design.
            return false
        default:
            return true
        }
    }

    private func isAuthorized(_ request: Request) -> Bool {
        if let header = request.headers[.authorization] {
            return token.matches(authorization: header)
        }
        // EventSource cannot send headers, so the event stream also takes ?access_token=.
        if request.method == .get, request.uri.path == "/api/events", let query = request.uri.queryParameters["access_token"] {
            return token.matches(token: query)
        }
        return false
    }
}

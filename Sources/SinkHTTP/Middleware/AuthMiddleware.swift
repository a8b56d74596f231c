import Hummingbird

/// With `auth_token` set: mutating requests (and, with `protect_reads`, reads too) need
/// `Authorization: Bearer <token>`; the token is compared in constant time.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    private let token: BearerToken
    private let protectReads: Bool

    init(token: String, protectReads: Bool) {
        self.token = BearerToken(token)
        self.protectReads = protectReads
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard needsToken(request), !isAuthorized(request) else {
            return try await next(request, context)
        }
        var error = APIError(
            status: .unauthorized, code: "unauthorized",
            message: request.headers[.authorization] == nil
                ? "this route needs an Authorization: Bearer <token> header (auth_token is set)"
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

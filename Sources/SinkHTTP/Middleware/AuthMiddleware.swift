import Hummingbird

/// With `auth_token` set: mutating requests (and, with `protect_reads`, reads too) need
/// `Authorization: Bearer <token>`; the token is compared in constant time.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
    private let token: [UInt8]
    private let protectReads: Bool

    /// Reads that stay open even with `protect_reads`: probes, the page shell and the API description.
    private static var openPaths: Set<String> { ["/health", "/", "/openapi.yaml"] }

    init(token: String, protectReads: Bool) {
        self.token = Array(token.utf8)
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
            let path = request.uri.path
            return !(Self.openPaths.contains(path) || path.hasPrefix("/assets/"))
        case .options:
            // CORS preflights carry no credentials by design.
            return false
        default:
            return true
        }
    }

    private func isAuthorized(_ request: Request) -> Bool {
        if let header = request.headers[.authorization] {
            let bytes = Array(header.utf8)
            let scheme = Array("bearer ".utf8)
            guard bytes.count >= scheme.count,
                zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
            else { return false }
            return Self.constantTimeEqual(bytes[scheme.count...], token)
        }
        // EventSource cannot send headers, so the event stream also takes ?access_token=.
        if request.method == .get, request.uri.path == "/api/events",
            let query = request.uri.queryParameters["access_token"]
        {
            return Self.constantTimeEqual(Array(query.utf8)[...], token)
        }
        return false
    }

    /// Equal contents, in time that depends only on the lengths, never on where they differ.
    static func constantTimeEqual(_ given: ArraySlice<UInt8>, _ expected: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: given.count ^ expected.count)
        if given.count != expected.count { difference |= 1 }
        var index = given.startIndex
        for byte in expected {
            let other = index < given.endIndex ? given[index] : 0
            difference |= byte ^ other
            index += 1
        }
        return difference == 0
    }
}

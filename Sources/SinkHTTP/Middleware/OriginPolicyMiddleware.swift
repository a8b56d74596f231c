import HTTPTypes
import Hummingbird

/// CORS for the origins in `cors_origins`: answers preflights and marks responses readable by
/// those origins. Requests from other origins pass through unmarked, so browsers block them.
struct OriginPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    private let origins: Set<String>
    private let anyOrigin: Bool

    init(origins: [String]) {
        self.origins = Set(origins)
        self.anyOrigin = origins.contains("*")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], anyOrigin || origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers = allowHeaders(origin: origin)
            headers[.accessControlAllowMethods] = "GET, PUT, DELETE, OPTIONS"
            headers[.accessControlAllowHeaders] =
                request.headers[.accessControlRequestHeaders] ?? "Authorization, Content-Type, Cache-Control"
            headers[.accessControlMaxAge] = "600"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers.append(contentsOf: allowHeaders(origin: origin))
        // Scripts may read what the data plane says about an entry: its tier, validator and
        // freshness, and each of its metadata headers by name (a wildcard is not honoured for
        // requests with credentials).
        var exposed = Self.exposedHeaders
        for field in response.headers where field.name.canonicalName.hasPrefix("x-meta-") && !exposed.contains(field.name.rawName) {
            exposed.append(field.name.rawName)
        }
        response.headers[.accessControlExposeHeaders] = exposed.joined(separator: ", ")
        return response
    }

    /// Exposed on every answer, whether or not it carries them.
    static var exposedHeaders: [String] { ["X-Cache", "ETag", "Cache-Control"] }

    private func allowHeaders(origin: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.accessControlAllowOrigin] = origin
        headers[.vary] = "Origin"
        return headers
    }
}

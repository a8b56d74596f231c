import Hummingbird

/// Marks every response so a browser never runs what the API sends: `nosniff` (a type is taken as
/// sent, never guessed from the bytes) and a CSP that sandboxes the document and loads nothing.
/// A response that brings its own policy (the dashboard page) keeps it.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.contentSecurityPolicy] == nil {
            response.headers[.contentSecurityPolicy] = APIPolicy.contentSecurityPolicy
        }
        return response
    }
}

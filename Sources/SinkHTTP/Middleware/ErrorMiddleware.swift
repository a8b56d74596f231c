import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns every error a route or the router throws into `{"error": {"code", "message"}}` with the
/// matching status, so no client ever sees an empty or HTML error body.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error where Self.isConnectionFault(error) {
            // A body the client garbled or broke off: the connection handler answers 400 (or finds
            // the connection gone) and closes; the client's doing, not an internal error to log.
            throw error
        } catch {
            var apiError = APIError(error)
            if let httpError = error as? HTTPError, httpError.status == .notFound, httpError.body == nil {
                // The router's own miss: say what was asked for.
                apiError.code = "not_found"
                apiError.message = "no route for \(request.method) \(request.uri.path); the API is described at /openapi.yaml"
            }
            if apiError.status == .internalServerError {
                logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return apiError.response
        }
    }

    private static func isConnectionFault(_ error: any Error) -> Bool {
        error is HTTPParserError || error is IOError || error is ChannelError
    }
}

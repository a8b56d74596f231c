import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` when a route matches the request's path but not its method.
///
/// Added to the router after every route, so it runs only for requests no route answered (the
/// router's own miss); a path no route matches goes on to the 404.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The route patterns and the methods each answers.
    private let routes: [(path: RouterPath, methods: [HTTPRequest.Method])]

    init(routes: [Router<Context>.RouteDescription]) {
        var byPath: [(path: RouterPath, methods: [HTTPRequest.Method])] = []
        for route in routes {
            if let index = byPath.firstIndex(where: { $0.path == route.path }) {
                byPath[index].methods.append(route.method)
            } else {
                byPath.append((route.path, [route.method]))
            }
        }
        self.routes = byPath
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let allowed = allowedMethods(path: request.uri.path)
        guard !allowed.isEmpty, !allowed.contains(request.method) else {
            return try await next(request, context)
        }
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        var error = APIError(
            status: .methodNotAllowed, code: "method_not_allowed",
            message: "\(request.method) is not allowed on \(request.uri.path); allowed: \(list)")
        error.headers[.allow] = list
        throw error
    }

    /// Every method of every route whose pattern matches `path`, in a stable order.
    func allowedMethods(path: String) -> [HTTPRequest.Method] {
        // Split as the router splits: empty segments do not count.
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<HTTPRequest.Method>()
        for route in routes where Self.pattern(route.path, matches: segments) {
            methods.formUnion(route.methods)
        }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private static func pattern(_ pattern: RouterPath, matches segments: [Substring]) -> Bool {
        for (index, element) in pattern.enumerated() {
            // `**` takes the rest of the path, at least one segment of it.
            if element == .recursiveWildcard { return segments.count > index }
            guard index < segments.count, element ~= segments[index] else { return false }
        }
        return segments.count == pattern.count
    }
}

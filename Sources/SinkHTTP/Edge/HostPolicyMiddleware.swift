import Hummingbird

/// Refuses, with 421 and the JSON error body, every request whose `Host` the server is not known
/// by (see ``HostPolicy``). It runs first, so no route, the dashboard and `/health` included,
/// answers a rebinding page.
struct HostPolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let policy: HostPolicy

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let host = request.head.authority
        guard policy.allows(hostHeader: host) else {
            return APIError(
                status: .misdirectedRequest, code: "misdirected_request",
                message: "this server does not answer to the host name \"\(host ?? "")\"; "
                    + "add it to allowed_hosts if it is a name of this server (or use 127.0.0.1)"
            ).response
        }
        return try await next(request, context)
    }
}

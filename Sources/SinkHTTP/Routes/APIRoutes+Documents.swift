import Hummingbird

extension APIRoutes {
    func addDocumentRoutes(to router: Router<APIRequestContext>) {
        router.get("/") { request, _ in
            guard config.dashboard else {
                throw APIError.notFound("dashboard_disabled", "the dashboard is off (dashboard: false); the API is described at /openapi.yaml")
            }
            return BundledDocuments.dashboard.response(to: request)
        }

        router.get("/assets/{name}") { request, context in
            guard config.dashboard, let name = context.parameters.get("name"), let asset = BundledDocuments.assets[name] else {
                throw APIError.notFound("not_found", "no dashboard asset named \"\(context.parameters.get("name") ?? "")\"")
            }
            return asset.response(to: request)
        }

        router.get("/openapi.yaml") { request, _ in
            BundledDocuments.openAPI.response(to: request)
        }
    }
}

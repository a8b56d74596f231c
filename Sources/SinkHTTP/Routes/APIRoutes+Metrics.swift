import Hummingbird

extension APIRoutes {
    /// `GET /metrics`: the Prometheus text exposition, read fresh on every scrape.
    func addMetricsRoute(to router: Router<APIRequestContext>) {
        router.get("/metrics") { _, _ in
            let text = await metrics.scrape()
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
    }
}

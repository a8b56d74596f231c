import Hummingbird
import MonitorKitCore

extension APIRoutes {
    /// The most distinct names `?fields=` may list: far more than any source has fields, and a
    /// bound on the work and memory one request can ask for.
    static let maxHistoryFields = 256

    func addStatsRoutes(to router: Router<APIRequestContext>) {
        router.get("/api/{source}/stats") { request, context in
            let info = try source(context)
            let query = QueryValues(request)
            // `?simple=true` asks the source for its short answer (the cache's original one).
            let simple = try query.bool("simple") == true
            let stats = try await liveStats(info, simple ? ["simple": .bool(true)] : Fields())
            return JSONResponse.make(stats, capacity: simple ? 256 : 1024)
        }

        router.delete("/api/{source}/clear") { request, context in
            let info = try source(context)
            let resetStats = try QueryValues(request).bool("reset_stats") ?? true
            let cleared = try await invoke(info, "clear", ["reset_stats": .bool(resetStats)])
            return JSONResponse.make([
                "status": "Cache cleared successfully",
                "cleared_items": .object(cleared),
                "timestamp": .double(Event.now()),
            ])
        }

        router.get("/api/{source}/history") { request, context in
            let info = try source(context)
            let query = QueryValues(request)
            let since = try query.double("since", what: "a time in Unix seconds")
            let limit = try query.int("limit")
            let names = Set(query.list("fields"))
            guard names.count <= Self.maxHistoryFields else {
                throw APIError.badRequest(
                    "invalid_fields", "fields lists at most \(Self.maxHistoryFields) names, found \(names.count)")
            }
            let samples = runtime.history.samples(source: info.id, since: since, limit: limit)
            // A first guess only: the writer grows as needed, so the guess never follows the request's list.
            var writer = JSONWriter(capacity: 256 + samples.count * (names.isEmpty ? 1024 : 256))
            writer.writeRaw("{\"source\":")
            writer.write(string: info.id)
            writer.writeRaw(",\"count\":\(samples.count),\"samples\":[")
            for (index, sample) in samples.enumerated() {
                if index > 0 { writer.writeRaw(",") }
                if names.isEmpty {
                    writer.write(sample)
                } else {
                    var slim = sample
                    slim.fields = sample.fields.filter(names: names)
                    writer.write(slim)
                }
            }
            writer.writeRaw("]}")
            return JSONResponse.make(writer)
        }
    }

    /// Stats now: the source's `stats` action when it has one (O(1) in the cache), else its
    /// newest sample.
    func liveStats(_ info: SourceInfo, _ arguments: Fields = Fields()) async throws -> Fields {
        if info.actions.contains("stats") {
            return try await invoke(info, "stats", arguments)
        }
        if let latest = runtime.history.latest(source: info.id) {
            return latest.fields
        }
        throw APIError.unavailable("source \"\(info.id)\" has no stats action and has not been sampled yet")
    }
}

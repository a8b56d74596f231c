import Hummingbird
import MonitorKitCore

extension APIRoutes {
    /// The fields of `?simple=true`, the original dashboard's short answer.
    static let simpleFields = ["memory_items", "disk_items", "hit_rate", "expired_entries", "uptime_minutes", "cache_size_mb"]
    /// The most distinct names `?fields=` may list: far more than any source has fields, and a
    /// bound on the work and memory one request can ask for.
    static let maxHistoryFields = 256

    func addStatsRoutes(to router: Router<BasicRequestContext>) {
        router.get("/api/{source}/stats") { request, context in
            let info = try source(context)
            let query = QueryValues(request)
            let stats = try await liveStats(info)
            guard try query.bool("simple") == true else {
                return JSONResponse.make(stats, capacity: 1024)
            }
            var simple = Fields()
            for name in Self.simpleFields {
                guard let value = stats[name] else { continue }
                if name == "hit_rate", let fraction = value.doubleValue {
                    simple.append(name, .double((fraction * 1000).rounded() / 10))
                } else {
                    simple.append(name, value)
                }
            }
            return JSONResponse.make(simple)
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
    func liveStats(_ info: SourceInfo) async throws -> Fields {
        if info.actions.contains("stats") {
            return try await invoke(info, "stats")
        }
        if let latest = runtime.history.latest(source: info.id) {
            return latest.fields
        }
        throw APIError.unavailable("source \"\(info.id)\" has no stats action and has not been sampled yet")
    }
}

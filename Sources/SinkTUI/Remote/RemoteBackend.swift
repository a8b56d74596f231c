import AsyncHTTPClient
import MonitorKitCore

/// `monitord top`'s data: a remote monitord's event stream and history over its HTTP API,
/// reconnecting by itself with backoff.
struct RemoteBackend: DashboardBackend {
    let api: RemoteAPI
    /// Samples fetched per source; more than the widest chart draws.
    var historyLimit = 600

    var mode: DashboardMode { .remote(url: api.baseURL) }

    /// Failures in a row after which the header says `disconnected` rather than `reconnecting`.
    static let failuresBeforeDisconnected = 3

    /// 0.5s, 1s, 2s, 4s, 8s, then 10s between attempts.
    static func backoff(afterFailures failures: Int) -> Double {
        min(10, 0.5 * Double(1 << min(max(0, failures - 1), 10)))
    }

    /// Sources, their history and live stats, active alerts, version and start time.
    func snapshot() async throws -> DashboardSnapshot {
        let sources = EventJSON.sources(try await api.get("/api/sources"))
        var history: [String: [Event]] = [:]
        var stats: [String: Sample] = [:]
        for source in sources {
            history[source.id] = EventJSON.history(try await api.get(RemoteAPI.sourcePath(source.id, "history?limit=\(historyLimit)")))
            if source.actions?.contains("stats") == true, let fields = try? await api.get(RemoteAPI.sourcePath(source.id, "stats")).objectValue {
                stats[source.id] = Sample(time: Event.now(), fields: fields)
            }
        }
        let alerts = try? EventJSON.alerts(await api.get("/api/alerts"))
        var version: String?, startTime: Double?
        // /health answers 503 while a source fails; its figures are the same, so read them either way.
        if let health = try? await api.get("/health").objectValue {
            version = health["version"]?.stringValue
            if let uptime = health["uptime_seconds"]?.doubleValue {
                startTime = (health["timestamp"]?.doubleValue ?? Event.now()) - uptime
            }
        }
        return DashboardSnapshot(version: version, startTime: startTime, sources: sources, history: history, alerts: alerts, stats: stats)
    }

    func feed(_ send: @escaping @Sendable (DashboardInput) -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                // Stream first, then history: events in between wait in the stream, and samples
                // seen twice are dropped by time, so nothing is missed.
                let body = try await api.openEvents()
                send(.snapshot(try await snapshot()))
                send(.connection(.live))
                failures = 0
                var parser = ServerSentEventParser()
                for try await chunk in body {
                    let events = parser.feed(chunk.readableBytesView).compactMap { message in
                        (try? JSONParser.parse(message.data)).flatMap(EventJSON.event)
                    }
                    if !events.isEmpty { send(.events(events)) }
                }
                throw RemoteError(status: nil, path: "/api/events", message: "the server ended the event stream")
            } catch {
                if Task.isCancelled { return }
                failures += 1
                let delay = Self.backoff(afterFailures: failures)
                let retryAt = Event.now() + delay
                let reason = RemoteError.describe(error)
                let refused = (error as? RemoteError)?.isUnauthorized == true
                send(.connection(failures < Self.failuresBeforeDisconnected && !refused
                    ? .reconnecting(attempt: failures, retryAt: retryAt, reason: reason)
                    : .disconnected(retryAt: retryAt, reason: reason)))
                send(.failure("\(api.baseURL): \(reason)"))
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
            }
        }
    }

    func poll() async -> DashboardInput? { nil }

    func stats(source: String) async throws -> Sample? {
        guard let fields = try await api.get(RemoteAPI.sourcePath(source, "stats")).objectValue else { return nil }
        return Sample(time: Event.now(), fields: fields)
    }

    func clear(source: String) async throws -> ClearSummary {
        let answer = try await api.delete(RemoteAPI.sourcePath(source, "clear"))
        return answer.objectValue?["cleared_items"]?.objectValue.flatMap(ClearSummary.init(fields:)) ?? ClearSummary(removed: [])
    }
}

import Hummingbird
import MonitorKitCore

extension APIRoutes {
    func addStatusRoutes(to router: Router<APIRequestContext>) {
        router.get("/health") { _, _ in
            let components = runtime.components
            let failing = components.filter { $0.role == .source && $0.state == .failing }
            var byID = Fields()
            for component in components {
                byID.append(component.id, .object(component.fields))
            }
            var body: Fields = [
                "status": .string(failing.isEmpty ? "healthy" : "unhealthy"),
                "version": .string(runtime.version),
                "uptime_seconds": .double(Event.now() - runtime.startTime),
                "timestamp": .double(Event.now()),
            ]
            if !failing.isEmpty {
                body.append("failing", .list(failing.map { .string($0.id) }))
            }
            body.append("components", .object(byID))
            // As Prometheus reports its own: whether the last load of the file worked, and when one last did.
            body.append("config", .object(runtime.configStatus.fields))
            return JSONResponse.make(body, status: failing.isEmpty ? .ok : .serviceUnavailable)
        }

        router.get("/api/sources") { _, _ in
            var sources: [Value] = []
            for info in runtime.sources {
                var fields: Fields = [
                    "id": .string(info.id), "type": .string(info.type),
                    "actions": .list(info.actions.map(Value.string)), "store": .bool(info.isStore),
                    "interval_seconds": .double(info.interval.seconds),
                ]
                Self.appendHealth(runtime.status(info.id), to: &fields)
                if let latest = runtime.history.latest(source: info.id) {
                    fields.append("last_sample", .double(latest.time))
                }
                // What each field of its samples is, so that a viewer renders a source it has never seen.
                fields.append("metrics", .list(info.metrics.map(\.value)))
                sources.append(.object(fields))
            }
            var sinks: [Value] = []
            for component in runtime.components where component.role == .sink {
                var fields: Fields = ["id": .string(component.id), "type": .string(component.type)]
                Self.appendHealth(component, to: &fields)
                sinks.append(.object(fields))
            }
            return JSONResponse.make(["sources": .list(sources), "sinks": .list(sinks)], capacity: 16384)
        }

        // Reads the config file again, as SIGHUP does, and answers what happened (422 when the
        // file was refused: the running config is unchanged). Mutating: the token guards it.
        router.post("/api/reload") { _, _ in
            let outcome = await runtime.requestReload()
            return JSONResponse.make(outcome.fields, status: outcome.succeeded ? .ok : .unprocessableContent, capacity: 2048)
        }

        router.get("/api/alerts") { _, _ in
            let active = alerts.alerts
            return JSONResponse.make(["count": .int(active.count), "alerts": .list(active.map(Value.object))])
        }
    }

    /// `state`, `message` (while failing) and `since`; `starting` before the runtime reports one.
    private static func appendHealth(_ status: ComponentStatus?, to fields: inout Fields) {
        fields.append("state", .string((status?.state ?? .starting).rawValue))
        if let message = status?.message { fields.append("message", .string(message)) }
        if let since = status?.since { fields.append("since", .double(since)) }
    }
}

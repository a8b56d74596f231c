import MonitorKitCore

/// Reads the API's JSON (kept in wire order by ``JSONParser``) into what the view uses.
enum EventJSON {
    /// `{"source","name","kind","time","fields"}`, the shape of SSE data and history samples.
    static func event(_ value: Value) -> Event? {
        guard let object = value.objectValue,
            let source = object["source"]?.stringValue,
            let name = object["name"]?.stringValue,
            let kind = object["kind"]?.stringValue.flatMap(Event.Kind.init(rawValue:)),
            let time = object["time"]?.doubleValue
        else { return nil }
        return Event(source: source, name: name, kind: kind, time: time, fields: object["fields"]?.objectValue ?? Fields())
    }

    /// `GET /api/sources`: `{"sources": [{id, type, actions, state, message?, metrics}], "sinks": [...]}`.
    static func sources(_ value: Value) -> [SourceEntry] {
        let list: [Value]
        if case .list(let items) = value {
            list = items
        } else if case .list(let items)? = value.objectValue?["sources"] {
            list = items
        } else {
            list = []
        }
        return list.compactMap { item in
            guard let f = item.objectValue, let id = f["id"]?.stringValue, f["role"]?.stringValue != "sink" else { return nil }
            var actions: [String]?
            if case .list(let names)? = f["actions"] { actions = names.compactMap(\.stringValue) }
            let state = f["state"]?.stringValue
            var metrics: [MetricDescriptor] = []
            if case .list(let descriptors)? = f["metrics"] { metrics = descriptors.compactMap(MetricDescriptor.init(value:)) }
            return SourceEntry(id: id, type: f["type"]?.stringValue, state: state, actions: actions,
                               lastError: state == "failing" ? f["message"]?.stringValue : nil, metrics: metrics)
        }
    }

    /// `GET /api/{source}/history`: `{"source", "count", "samples": [event]}`.
    static func history(_ value: Value) -> [Event] {
        guard case .list(let samples)? = value.objectValue?["samples"] else { return [] }
        return samples.compactMap(event)
    }

    /// `GET /api/alerts`: `{"count", "alerts": [alert fields]}`.
    static func alerts(_ value: Value) -> [AlertNotice] {
        guard case .list(let alerts)? = value.objectValue?["alerts"] else { return [] }
        return alerts.compactMap { $0.objectValue.flatMap(AlertNotice.init(fields:)) }
    }

    /// `{"error": {"code", "message"}}` → the message.
    static func errorMessage(_ value: Value) -> String? {
        value.objectValue?["error"]?.objectValue?["message"]?.stringValue
    }
}

import Hummingbird
import MonitorKitCore

/// `GET /api/events`: live events as Server-Sent Events, one JSON event per `data:` line.
extension APIRoutes {
    func addEventStreamRoute(to router: Router<APIRequestContext>) {
        router.get("/api/events") { request, _ in
            let wanted = QueryValues(request).list("source")
            try requireKnownComponents(wanted)
            let filter = wanted.isEmpty ? inputs : InputFilter(wanted)
            let lease: EventStreamLease
            switch streams.open(inputs: filter, capacity: eventCapacity) {
            case .opened(let opened):
                lease = opened
            case .full:
                var error = APIError(
                    status: .serviceUnavailable, code: "too_many_event_streams",
                    message: "\(streams.limit) clients are connected to /api/events already (max_event_streams); retry later")
                error.headers[.retryAfter] = "5"
                throw error
            case .closed:
                throw APIError.unavailable("the server is shutting down")
            }
            let headers: HTTPFields = [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-cache",
                .xAccelBuffering: "no",
            ]
            // The body owns the lease: if the client is gone before the head is written, the body
            // never runs and the released lease leaves the bus all the same.
            let body = ResponseBody { writer in
                defer { lease.close() }
                try await stream(lease, request: request, to: &writer)
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    /// Each `?source=` entry must name a component or match one as a glob (events come from
    /// sources and from sinks that emit, like the alerts); otherwise 404, as for any unknown source,
    /// rather than a stream that would only ever carry heartbeats.
    private func requireKnownComponents(_ wanted: [String]) throws(APIError) {
        var known = runtime.sources.map(\.id)
        for component in runtime.components where !known.contains(component.id) {
            known.append(component.id)
        }
        for pattern in wanted where !known.contains(where: { InputFilter([pattern]).matches($0) }) {
            throw APIError.unknownSource(pattern, known: known)
        }
    }

    /// Writes events and heartbeats until the client leaves or the sink stops.
    private func stream(_ lease: EventStreamLease, request: Request, to writer: inout any ResponseBodyWriter) async throws {
        let subscription = lease.subscription
        let outbox = EventStreamOutbox()
        let inputs = self.inputs
        let heartbeat = config.eventsHeartbeat
        // Tells clients to reconnect after 3 s, and lets them see the stream is open.
        try await writer.write(ByteBuffer(string: "retry: 3000\n: connected\n\n"))
        try await request.body.consumeWithInboundCloseHandler { _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in subscription where inputs.matches(event.source) {
                        await outbox.send(Self.encode(event))
                    }
                    outbox.finish()
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        outbox.requestHeartbeat()
                    }
                }
                defer {
                    outbox.finish()
                    subscription.cancel()
                    group.cancelAll()
                }
                while let chunk = await outbox.next() {
                    try await writer.write(chunk)
                }
            }
        } onInboundClosed: {
            // The client went away: leave the bus now rather than at the next heartbeat.
            lease.close()
            outbox.finish()
        }
    }

    /// `event: <name>` and `data: <event JSON>`; the JSON has no raw newlines, so one line.
    static func encode(_ event: Event) -> ByteBuffer {
        var writer = JSONWriter(capacity: 512)
        writer.writeRaw("event: ")
        writer.writeRaw(event.name.contains(where: \.isNewline) ? "message" : event.name)
        writer.writeRaw("\ndata: ")
        writer.write(event)
        writer.writeRaw("\n\n")
        return ByteBuffer(bytes: writer.bytes)
    }
}

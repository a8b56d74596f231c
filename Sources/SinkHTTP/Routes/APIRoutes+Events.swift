import Hummingbird
import MonitorKitCore

/// `GET /api/events`: live events as Server-Sent Events, one JSON event per `data:` line.
extension APIRoutes {
    func addEventStreamRoute(to router: Router<BasicRequestContext>) {
        router.get("/api/events") { request, _ in
            let wanted = QueryValues(request).list("source")
            let filter = wanted.isEmpty ? inputs : InputFilter(wanted)
            guard let (number, subscription) = streams.open(inputs: filter, capacity: eventCapacity) else {
                throw APIError.unavailable("the server is shutting down")
            }
            let headers: HTTPFields = [
                .contentType: "text/event-stream; charset=utf-8",
                .cacheControl: "no-cache",
                .xAccelBuffering: "no",
            ]
            let body = ResponseBody { writer in
                defer { streams.close(number) }
                try await stream(subscription, number: number, request: request, to: &writer)
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: headers, body: body)
        }
    }

    /// Writes events and heartbeats until the client leaves or the sink stops.
    private func stream(
        _ subscription: Subscription, number: Int, request: Request, to writer: inout any ResponseBodyWriter
    ) async throws {
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
            streams.close(number)
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

import Foundation
import MonitorKitCore
import Testing

@testable import SinkHTTP

/// The served OpenAPI document says what the server does where schemathesis cannot look: the
/// event stream never ends, so its schema is checked here against a live stream.
@Suite struct OpenAPIDocumentTests {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theDocsCopyIsTheServedDocument() throws {
        let served = try Data(contentsOf: Self.root.appendingPathComponent("Sources/SinkHTTP/Resources/openapi.yaml"))
        let copy = try Data(contentsOf: Self.root.appendingPathComponent("docs/openapi.yaml"))
        #expect(served == copy, "docs/openapi.yaml differs from Sources/SinkHTTP/Resources/openapi.yaml: copy it over")
    }

    @Test func theEventStreamSchemaMatchesWhatTheStreamSends() async throws {
        try await SinkHarness.with(HTTPSinkConfig(port: 0, eventsHeartbeat: .milliseconds(100))) { api async throws in
            let document = try await api.request("GET", "/openapi.yaml")
            let root = try YAMLParser.parse(document.text, file: "openapi.yaml")
            let media = root["paths"]?["/api/events"]?["get"]?["responses"]?["200"]?["content"]?["text/event-stream"]
            let pattern = try #require(media?["schema"]?["pattern"]?.scalar?.text)
            #expect(media?["x-item-schema"]?["$ref"]?.scalar?.text == "#/components/schemas/StreamEvent")

            let client = EventStreamClient(url: api.base + "/api/events")
            try await waitFor("the stream to open") { client.text.contains(": connected") }
            await api.runtime.bus.publish(Event(source: "cache", name: "cache.cleared", kind: .event, time: 12.5, fields: [
                "memory_items": .int(1), "note": .string("two\nlines"),
            ]))
            try await waitFor("an event and a heartbeat") {
                client.text.contains("event: cache.cleared") && client.text.hasSuffix(": heartbeat\n\n")
            }
            await client.disconnect()
            let sent = client.text
            let regex = try NSRegularExpression(pattern: pattern)
            let whole = NSRange(sent.startIndex..., in: sent)
            #expect(regex.firstMatch(in: sent, range: whole)?.range == whole, "the stream \(sent.debugDescription) does not match \(pattern)")
            // Each data line is an Event as the document's Event schema requires.
            for event in try client.events() {
                for name in ["source", "name", "kind", "time", "fields"] { #expect(event[name] != nil, "no \(name) in \(event)") }
            }
        }
    }
}

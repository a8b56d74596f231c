import Logging
import MonitorKitCore
import Testing
@testable import SinkAlert

/// Notifiers against a real HTTP receiver on 127.0.0.1, through the real sink and bus.
@Suite struct NotifierDeliveryTests {
    /// Runs an alert sink on a bus with `notifiers`, feeds `samples`, and returns once `done` holds.
    func withSink(notifiers: [NotifierConfig], rules: [AlertRule],
                  _ body: (EventBus, AlertSink) async throws -> Void) async throws {
        let bus = EventBus()
        let config = AlertSinkConfig(rules: rules, notifiers: notifiers, externalURL: "http://127.0.0.1:8000/")
        let sink = AlertSink(id: "alerts", config: config, emitter: Emitter(source: "alerts", bus: bus), logger: Logger(label: "test"))
        let subscription = bus.subscribe("alerts", buffer: AlertSinkConfig.defaultBuffer)
        let running = Task { try await sink.run(events: subscription) }
        try await body(bus, sink)
        subscription.finish()
        try await running.value
    }

    @Test func webhookPayloadHasAlertmanagerShapeAndIsRetriedAfterA500() async throws {
        let receiver = try HTTPReceiver(statuses: [500])
        defer { receiver.stop() }
        let notifier = NotifierConfig(kind: .webhook, name: "ops", url: "http://127.0.0.1:\(receiver.port)/hook",
                                      timeout: .seconds(5), retries: 3, backoff: .milliseconds(20))
        try await withSink(notifiers: [notifier], rules: [try lowHitRate(for: .zero)]) { bus, sink in
            await bus.publish(cacheSample(at: 1_795_000_000.25, hitRate: 0.5))
            let requests = await receiver.waitForRequests(2)
            try #require(requests.count == 2)
            // The 500 was retried with the same payload.
            #expect(requests[0].text == requests[1].text)
            #expect(requests[1].method == "POST")
            #expect(requests[1].path == "/hook")
            #expect(requests[1].headers["content-type"] == "application/json")
            let body = try JSONParser.parse(requests[1].body)
            let payload = try #require(body.objectValue)
            #expect(Array(payload.names.prefix(3)) == ["version", "groupKey", "truncatedAlerts"])
            #expect(payload["version"] == "4")
            #expect(payload["status"] == "firing")
            #expect(payload["receiver"] == "ops")
            #expect(payload["groupLabels"] == .object(["alertname": "LowHitRate"]))
            #expect(payload["commonLabels"] == .object(["alertname": "LowHitRate", "severity": "warning", "team": "media"]))
            #expect(payload["commonAnnotations"] == .object(["summary": "cache.recent_hit_rate is 0.5, below 0.7"]))
            #expect(payload["externalURL"] == "http://127.0.0.1:8000/")
            let alert = try #require(payload["alerts"].flatMap { if case .list(let l) = $0 { l.first?.objectValue } else { nil } })
            #expect(alert.names == ["status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint"])
            #expect(alert["status"] == "firing")
            #expect(alert["startsAt"] == "2026-11-18T11:06:40.250Z")
            #expect(alert["endsAt"] == "0001-01-01T00:00:00Z")
            #expect(alert["fingerprint"]?.stringValue?.count == 16)
            // The receiver records a request before it answers; the sender counts it once the
            // answer is read, so wait for that rather than racing it.
            let deadline = ContinuousClock.now + .seconds(30)
            while sink.notifierStats.first?.stats.sent != 1, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            let stats = sink.notifierStats.first?.stats
            #expect(stats?.sent == 1)
            #expect(stats?.retries == 1)
            #expect(stats?.failed == 0)

            // Back to health: the resolution goes out with its end time.
            await bus.publish(cacheSample(at: 1_795_000_060, hitRate: 0.9))
            let all = await receiver.waitForRequests(3)
            try #require(all.count == 3)
            let resolved = try #require(try JSONParser.parse(all[2].body).objectValue)
            #expect(resolved["status"] == "resolved")
            let resolvedAlert = resolved["alerts"].flatMap { if case .list(let l) = $0 { l.first?.objectValue } else { nil } }
            #expect(resolvedAlert?["endsAt"] == "2026-11-18T11:07:40.000Z")
        }
    }

    @Test func alertmanagerGetsAListOfPostableAlerts() async throws {
        let receiver = try HTTPReceiver()
        defer { receiver.stop() }
        let notifier = NotifierConfig(kind: .alertmanager, url: "http://127.0.0.1:\(receiver.port)")
        try await withSink(notifiers: [notifier], rules: [try lowHitRate(for: .zero)]) { bus, _ in
            await bus.publish(cacheSample(at: 1_795_000_000, hitRate: 0.5))
            let requests = await receiver.waitForRequests(1)
            try #require(requests.count == 1)
            #expect(requests[0].path == "/api/v2/alerts")
            guard case .list(let alerts) = try JSONParser.parse(requests[0].body) else {
                Issue.record("not a JSON list: \(requests[0].text)")
                return
            }
            let alert = try #require(alerts.first?.objectValue)
            #expect(alert.names == ["labels", "annotations", "startsAt", "generatorURL"])
            #expect(alert["labels"] == .object(["alertname": "LowHitRate", "severity": "warning", "team": "media"]))
            #expect(alert["generatorURL"] == "http://127.0.0.1:8000/")
        }
    }

    @Test func aDeadReceiverIsCountedAndReportedWithoutBlockingAlerts() async throws {
        // A port nobody listens on: connections are refused at once.
        let closed = try HTTPReceiver()
        let port = closed.port
        closed.stop()
        let notifier = NotifierConfig(kind: .webhook, name: "dead", url: "http://127.0.0.1:\(port)/", timeout: .milliseconds(300), retries: 1, backoff: .milliseconds(10))
        // The sink publishes its own failure report, which every other sink (the log) sees.
        let ownBus = EventBus()
        let seen = ownBus.subscribe("seen")
        let config = AlertSinkConfig(rules: [try lowHitRate(for: .zero)], notifiers: [notifier])
        let sink = AlertSink(id: "alerts", config: config, emitter: Emitter(source: "alerts", bus: ownBus), logger: Logger(label: "test"))
        let subscription = ownBus.subscribe("alerts", buffer: AlertSinkConfig.defaultBuffer)
        let running = Task { try await sink.run(events: subscription) }
        await ownBus.publish(cacheSample(at: 0, hitRate: 0.5))
        var names: [String] = []
        for await event in seen where event.source == "alerts" {
            names.append(event.name)
            if event.name == "notification.failed" {
                #expect(event.fields["notifier"] == "dead")
                #expect(event.fields["attempts"] == 2)
                break
            }
        }
        #expect(names == ["alert", "notification.failed"])
        #expect(sink.notifierStats.first?.stats.failed == 1)
        #expect(sink.notifierStats.first?.stats.retries == 1)
        subscription.finish()
        try await running.value
    }
}

import MonitorKitCore
import Testing
@testable import SinkTUI

/// The view renders a source it has never seen from the descriptors the source declares.
@Suite struct DescriptorViewTests {
    let now = Fixtures.t0 + 2

    /// A source that is not the cache: its own fields, titles, formats, cards, chart and grades.
    static let metrics: [MetricDescriptor] = [
        MetricDescriptor("threads", .gauge, .items, help: "Threads.", display: MetricDisplay("Threads", .count)),
        MetricDescriptor(
            "resident_bytes", .gauge, .bytes, help: "Resident memory.",
            display: MetricDisplay("Resident memory", .bytes, card: 2, chart: MetricChart(group: "memory", title: "Memory", series: "RSS"))),
        MetricDescriptor(
            "fs_free_ratio", .gauge, .ratio, help: "Free share of the filesystem.",
            display: MetricDisplay(
                "Disk free", .percent, card: 1, chart: MetricChart(group: "fs", title: "Free", series: "Free"),
                bands: MetricBands(good: 0.2, fair: 0.1, basis: "fs_total_bytes"))),
        MetricDescriptor("fs_total_bytes", .info, .bytes, help: "Filesystem size."),
        MetricDescriptor(
            "cpu_minutes", .counter, .seconds, scale: 60, help: "CPU time in minutes.",
            display: MetricDisplay("CPU time", .duration, card: 3)),
    ]

    static func fields(free: Double, total: Int = 1 << 30, time: Double = Fixtures.t0) -> Fields {
        [
            "resident_bytes": .int(5 << 20), "threads": .int(9), "fs_free_ratio": .double(free), "fs_total_bytes": .int(total),
            "cpu_minutes": .double(2.5), "undeclared": .int(77), "timestamp": .double(time),
        ]
    }

    func state(samples: Int = 10) -> DashboardState {
        var state = DashboardState(mode: .local, version: "0.1.0", connection: .local)
        state.apply(DashboardSnapshot(
            sources: [SourceEntry(id: "host", type: "system", state: "ok", actions: [], metrics: Self.metrics)],
            history: ["host": (0..<samples).map { i in
                let time = Fixtures.t0 - Double(samples - 1 - i) * 5
                return Event(source: "host", name: "system.stats", kind: .metric, time: time, fields: Self.fields(free: 0.25, time: time))
            }]))
        return state
    }

    @Test func headlineCardsComeFirstInCardOrderThenTheOtherDisplayedFields() {
        let cards = CardsSection.cards(for: Self.fields(free: 0.25), metrics: Self.metrics)
        #expect(cards.map(\.label) == ["Disk free", "Resident memory", "CPU time", "Threads"])
        #expect(cards.map(\.value) == ["25.0%", "5.00 MB", "2m 30s", "9"])
    }

    @Test func gradesColourTheCard() {
        func color(_ fields: Fields) -> TerminalColor? {
            CardsSection.cards(for: fields, metrics: Self.metrics).first { $0.label == "Disk free" }?.style.foreground
        }
        #expect(color(Self.fields(free: 0.25)) == .green)
        #expect(color(Self.fields(free: 0.15)) == .yellow)
        #expect(color(Self.fields(free: 0.05)) == .red)
        // Nothing to grade against: no colour of a grade at all.
        #expect(color(Self.fields(free: 0.05, total: 0)) == .gray)
        // A field without grades is plain bold.
        #expect(CardsSection.cards(for: Self.fields(free: 0.25), metrics: Self.metrics).first { $0.label == "Threads" }?.style == .bold)
    }

    @Test func theScreenShowsTheSourcesCardsAndChartsItsHeadlineFields() {
        let lines = Fixtures.text(DashboardRenderer(width: 100, height: 30, now: now).render(state()))
        #expect(lines.contains { $0.contains("Disk free") && $0.contains("25.0%") && $0.contains("Resident memory") && $0.contains("5.00 MB") })
        #expect(!lines.contains { $0.contains("Undeclared") })
        #expect(lines.contains { $0.hasPrefix(" Disk free") && $0.hasSuffix("25.0% ") })
        #expect(lines.contains { $0.hasPrefix(" Resident memory") && $0.hasSuffix("5.00 MB ") })
        // The charted headline fields, in card order; a percentage on its fixed 0-100 % scale.
        let series = TrendsSection(state: state(), width: 100, now: now).series
        #expect(series.map(\.label) == ["Disk free", "Resident memory"])
        #expect(series.first?.maximum == 1)
        #expect(series.last?.values.last == Double(5 << 20))
    }

    @Test func aSourceWithoutDescriptorsGetsItsScalarFieldsAsCards() {
        let cards = CardsSection.cards(for: ["queue_depth": .int(4), "nested": .object(["a": .int(1)])], metrics: [])
        #expect(cards.map(\.label) == ["Queue depth"])
        #expect(cards.map(\.value) == ["4"])
    }

    @Test func theClearNoticeNamesEachCountByItsTitle() {
        let metrics = [MetricDescriptor("queued", .gauge, .items, help: "Queued.", display: MetricDisplay("Queued jobs", .count))]
        let two = ClearSummary(removed: [("queued", 3), ("parked_jobs", 1_200)])
        #expect(DashboardState.clearedText("jobs", two, metrics: metrics) == "Cleared jobs: 3 queued jobs and 1,200 parked jobs removed")
        #expect(DashboardState.clearedText("jobs", ClearSummary(removed: [], total: 5), metrics: []) == "Cleared jobs: 5 entries removed")
    }

    @Test func aRemoteViewerReadsTheDescriptorsOfApiSources() throws {
        var writer = JSONWriter()
        writer.writeRaw("{\"sources\":[{\"id\":\"host\",\"type\":\"system\",\"actions\":[],\"state\":\"ok\",\"metrics\":")
        writer.write(Value.list(Self.metrics.map(\.value)))
        writer.writeRaw("}],\"sinks\":[]}")
        let sources = EventJSON.sources(try JSONParser.parse(writer.bytes))
        #expect(sources.first?.metrics == Self.metrics)
    }
}

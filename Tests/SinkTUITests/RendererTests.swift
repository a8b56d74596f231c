import Foundation
import MonitorKitCore
import Testing
@testable import SinkTUI

@Suite struct RendererTests {
    let now = Fixtures.t0 + 2

    func render(_ state: DashboardState, _ width: Int, _ height: Int?) -> [String] {
        Fixtures.text(DashboardRenderer(width: width, height: height, now: now).render(state))
    }

    @Test(arguments: [(80, 24), (120, 40), (100, 30), (30, 8), (200, 60)])
    func everyLineIsExactlyTheScreenWidthAndThereAreExactlyHeightLines(size: (Int, Int)) {
        let lines = DashboardRenderer(width: size.0, height: size.1, now: now).render(Fixtures.state())
        #expect(lines.count == size.1)
        for line in lines {
            #expect(line.width == size.0)
            #expect(DisplayWidth.of(line.text) == size.0)
        }
    }

    @Test(arguments: [(0, 0), (1, 1), (10, 3), (29, 24), (80, 7), (5, 40)])
    func tinyScreensGetANoteThatFits(size: (Int, Int)) {
        let lines = DashboardRenderer(width: size.0, height: size.1, now: now).render(Fixtures.state())
        #expect(lines.count == size.1)
        for line in lines { #expect(line.width == size.0) }
        if size.0 >= 28, size.1 >= 1 { #expect(lines[0].text.hasPrefix("monitord: terminal too small")) }
    }

    @Test func theCardsShowTheNewestFiguresWhereTheyBelong() throws {
        let lines = render(Fixtures.state(), 80, 24)
        // Last sample: memory 159, disk 359, hits 918 of 1,018 requests, 15.9 MB, uptime 134 minutes.
        // The card rows, above the charts (whose labels are the card titles too).
        let cards = lines.prefix { !$0.hasPrefix("── Trends") }.filter {
            ($0.contains("Memory items") && $0.contains("Disk items")) || $0.contains("Cache size") || $0.contains("Uptime")
        }
        #expect(cards.count == 3)
        #expect(cards[0].contains("Memory items") && cards[0].contains("159") && cards[0].contains("Disk items") && cards[0].contains("359"))
        #expect(cards[0].contains("Hit rate") && cards[0].contains("90.2%"))
        #expect(cards[1].contains("Cache size") && cards[1].contains("15.90 MB") && cards[1].contains("Expired") && cards[1].contains("Total requests") && cards[1].contains("1,018"))
        #expect(cards[2].contains("Uptime") && cards[2].contains("2h 14m"))
        // Each card's value ends at the right edge of its column, two cells before the next one.
        let row = cards[0]
        let memoryEnd = try #require(row.range(of: "159")).upperBound
        #expect(row.distance(from: row.startIndex, to: memoryEnd) == 24)
    }

    @Test func theHeaderSaysVersionUptimeStateAndWhere() {
        let header = render(Fixtures.state(), 100, 30)[0]
        #expect(header.contains("monitord 0.1.0"))
        #expect(header.contains("up 2h 14m"))
        #expect(header.contains("● live"))
        #expect(header.contains("http://127.0.0.1:8000"))
        var state = Fixtures.state()
        state.connection = .reconnecting(attempt: 2, retryAt: now + 3, reason: "connection refused")
        #expect(render(state, 100, 30)[0].contains("◌ reconnecting in 3s (attempt 2)"))
        state.connection = .disconnected(retryAt: now + 10, reason: "connection refused")
        #expect(render(state, 100, 30)[0].contains("○ disconnected, retry in 10s"))
    }

    @Test func theTabsMarkTheSelectedSource() {
        var state = Fixtures.state()
        #expect(render(state, 80, 24)[1].contains("[cache ● ok]"))
        _ = state.handle(.tab, now: now)
        let tabs = render(state, 80, 24)[1]
        #expect(tabs.contains("[internal ● ok]"))
        #expect(tabs.contains(" cache ● ok "))
    }

    @Test func sparklinesChartTheHistoryNewestAtTheRight() throws {
        let lines = render(Fixtures.state(samples: 60), 80, 24)
        func trimmed(_ line: String?) -> String? { line.map { String($0.reversed().drop { $0 == " " }.reversed()) } }
        let hit = trimmed(lines.first { $0.hasPrefix(" Hit rate") })
        #expect(hit?.contains { Sparkline.blocks.contains($0) } == true)
        #expect(hit?.hasSuffix("90.2%") == true)
        let memory = trimmed(lines.first { $0.hasPrefix(" Memory items") && !$0.contains("Disk") })
        let disk = trimmed(lines.first { $0.hasPrefix(" Disk items") && !$0.contains("Hit rate") })
        #expect(memory?.hasSuffix("159") == true)
        #expect(disk?.hasSuffix("359") == true)
        // Memory and disk share a scale: memory (100..159) stays lower than disk (300..359).
        let blocks = Array(Sparkline.blocks)
        func lastBlock(_ line: String?) -> Int { line.flatMap { l in l.last(where: { blocks.contains($0) }).flatMap { blocks.firstIndex(of: $0) } } ?? -1 }
        #expect(lastBlock(memory) < lastBlock(disk))
        #expect(lastBlock(disk) == 7)
        // One row per chart: 60 samples, one column each, in a chart 80 - 1 - 14 - 12 - 1 = 52
        // columns wide: the newest 52.
        let oneRow = TrendsSection(state: Fixtures.state(samples: 60), width: 80, now: now).lines(height: 5).map(\.text)
        #expect(oneRow.count == 5)
        let memoryRow = try #require(oneRow.first { $0.hasPrefix(" Memory items") })
        #expect(memoryRow.filter { blocks.contains($0) }.count == 52)
    }

    @Test func aTallTerminalGrowsTheCharts() {
        let small = render(Fixtures.state(), 120, 24).filter { $0.contains("█") || $0.contains("▇") }.count
        let tall = render(Fixtures.state(), 120, 40).filter { $0.contains("█") || $0.contains("▇") }.count
        #expect(tall > small)
    }

    @Test func alertsAreListedFiringFirstWithSeverity() {
        var state = Fixtures.state()
        state.apply(Fixtures.alert("LowHitRate", state: "pending", severity: "warning", fingerprint: "a"))
        state.apply(Fixtures.alert("CacheTooLarge", state: "firing", severity: "critical", fingerprint: "b", value: 512.3, threshold: 500))
        let lines = render(state, 120, 40)
        #expect(lines.contains { $0.contains("Alerts") && $0.contains("1 firing") && $0.contains("1 pending") })
        let firing = lines.firstIndex { $0.contains("● FIRING") && $0.contains("critical") && $0.contains("CacheTooLarge") && $0.contains("cache.recent_hit_rate now 0.850 (threshold 500)") }
        let pending = lines.firstIndex { $0.contains("○ PENDING") && $0.contains("warning") && $0.contains("LowHitRate") }
        #expect(firing != nil && pending != nil)
        if let firing, let pending { #expect(firing < pending) }
        #expect(render(Fixtures.state(), 80, 24).contains { $0.contains("No alerts firing or pending") })
    }

    @Test func anAlertWithoutLiveFiguresShowsTheValueAtItsTransition() {
        var state = DashboardState(mode: .local, version: "0.1.0", connection: .local)
        state.apply(Fixtures.alert("LowHitRate", state: "firing", severity: "warning", fingerprint: "a"))
        #expect(render(state, 120, 30).contains { $0.contains("LowHitRate") && $0.contains("cache.recent_hit_rate 0.620 (threshold 0.700)") })
    }

    @Test func thePipelineShowsQueuesDropsAndSources() {
        var state = Fixtures.state()
        state.apply(Fixtures.internalStats(dropped: 12))
        let lines = render(state, 100, 30)
        #expect(lines.contains { $0.contains("Pipeline") && $0.contains("4,321 events published") && $0.contains("12 dropped") })
        let header = lines.firstIndex { $0.contains("subscription") && $0.contains("queued") && $0.contains("dropped") }
        #expect(header != nil)
        if let header {
            // The dropping subscription comes first.
            #expect(lines[header + 1].contains("log") && lines[header + 1].contains("10/10") && lines[header + 1].contains("12"))
            #expect(lines[header + 2].contains("api") && lines[header + 2].contains("2/1,000"))
        }
        #expect(lines.contains { $0.contains("source cache") && $0.contains("● ok") && $0.contains("1,608 samples") })
    }

    @Test func theFooterShowsKeysThePromptOrANotice() {
        var state = Fixtures.state()
        #expect(render(state, 80, 24).last?.contains("q quit") == true)
        _ = state.handle(.character("c"), now: now)
        #expect(render(state, 80, 24).last?.contains("Clear every entry of cache and reset its statistics? [y/N]") == true)
        _ = state.handle(.character("y"), now: now)
        state.apply(.cleared(source: "cache", ClearSummary(removed: [("memory_items", 159), ("disk_items", 359)], total: 359)), now: now)
        #expect(render(state, 100, 24).last?.contains("Cleared cache: 159 memory items and 359 disk items removed") == true)
    }

    @Test func helpReplacesTheBody() {
        var state = Fixtures.state()
        _ = state.handle(.character("?"), now: now)
        let lines = render(state, 80, 24)
        #expect(lines.contains { $0.contains("Help") })
        #expect(lines.contains { $0.contains("q, Ctrl-C") && $0.contains("quit") })
        #expect(!lines.contains { $0.contains("Memory items") })
    }

    @Test func aSnapshotHasEverySectionAtItsNaturalHeightAndNoFooter() {
        var state = Fixtures.state()
        state.connection = .snapshot
        let lines = render(state, 100, nil)
        for title in ["── cache", "── Trends", "── Alerts", "── Pipeline"] {
            #expect(lines.contains { $0.hasPrefix(title) }, "missing \(title)")
        }
        #expect(!lines.contains { $0.contains("q quit") })
        #expect(!lines.contains { $0.contains("Recent events") })
        #expect(lines.allSatisfy { $0.count == 100 })
    }

    @Test func aSourceWithoutCacheFieldsShowsItsOwnFields() {
        var state = Fixtures.state()
        _ = state.handle(.tab, now: now)
        let lines = render(state, 100, 30)
        #expect(lines.contains { $0.contains("Events published") && $0.contains("4,321") })
    }

    @Test func controlCharactersFromTheWireCannotReachTheTerminal() {
        var state = Fixtures.state()
        state.apply(Event(source: "evil\u{1B}[2J", name: "x", kind: .metric, time: now, fields: ["a\u{07}": .string("b\u{1B}c")]))
        let lines = DashboardRenderer(width: 100, height: 30, now: now).render(state)
        for line in lines {
            #expect(!line.cells.contains { $0.character.unicodeScalars.contains { $0.value < 0x20 } })
        }
    }
}

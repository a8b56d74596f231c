/// Turns the state into rows of cells for a screen of a given size: pure, no I/O.
struct DashboardRenderer {
    /// Below this the view shows only a note asking for a bigger terminal.
    static let minimumWidth = 30
    static let minimumHeight = 8

    let width: Int
    /// `nil` draws every section at its preferred height (the `--once` snapshot).
    let height: Int?
    let now: Double

    init(width: Int, height: Int?, now: Double) {
        self.width = max(0, width)
        self.height = height.map { max(0, $0) }
        self.now = now
    }

    /// Exactly `height` lines (or the natural number of lines) of exactly `width` cells each.
    func render(_ state: DashboardState) -> [ScreenLine] {
        if let height, height < Self.minimumHeight || width < Self.minimumWidth {
            return tooSmall(height: height)
        }
        let chrome = Chrome(state: state, width: width, now: now)
        let sections: [any BodySection] = state.showHelp
            ? [HelpSection(width: width)]
            : [
                CardsSection(state: state, width: width, now: now),
                TrendsSection(state: state, width: width, now: now),
                AlertsSection(state: state, width: width, now: now),
                PipelineSection(state: state, width: width, now: now),
                RecentEventsSection(state: state, width: width, now: now),
                OutputSection(state: state, width: width),
            ]
        let demands = sections.map(\.demand)
        let heights: [Int]
        if let height {
            let planned = LayoutPlan.allocate(height - 3, demands)
            let fitted = zip(sections, planned).map { $0.fittedHeight($1) }
            heights = LayoutPlan.redistribute(planned, fitted: fitted, demands)
        } else {
            heights = demands.map(\.preferred)
        }
        var lines = [chrome.header(), chrome.tabs()]
        for (section, rows) in zip(sections, heights) where rows > 0 {
            lines.append(contentsOf: section.lines(height: rows))
        }
        if let height {
            while lines.count < height - 1 { lines.append(ScreenLine(width: width)) }
            lines.append(chrome.footer())
        } else if state.prompt != nil || state.notice != nil {
            lines.append(chrome.footer())
        }
        return lines
    }

    /// A note that fits the smallest screens, cut to whatever room there is.
    func tooSmall(height: Int) -> [ScreenLine] {
        let notes = ["monitord: terminal too small", "\(width)x\(height), need \(Self.minimumWidth)x\(Self.minimumHeight)", "q quits"]
        return (0..<height).map { row in
            var b = LineBuilder(width: width)
            if row < notes.count { b.text(notes[row], row == 0 ? .bold : .label, limit: width) }
            return b.build()
        }
    }

    /// The lines as plain text without trailing blanks, for `--once` and tests.
    static func plainText(_ lines: [ScreenLine]) -> String {
        lines.map { line in
            var text = line.text
            while text.last == " " { text.removeLast() }
            return text
        }.joined(separator: "\n")
    }
}

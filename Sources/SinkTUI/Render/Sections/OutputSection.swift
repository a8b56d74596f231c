/// The daemon's own stdout and stderr (its logs) while the `tui` sink holds the terminal, like
/// `tail`: newest at the bottom. Shown only when there is some; replayed in full on exit.
struct OutputSection: BodySection {
    let state: DashboardState
    let width: Int

    var demand: LayoutPlan.Demand {
        guard !state.outputLines.isEmpty else { return LayoutPlan.Demand(minimum: 0, preferred: 0) }
        return LayoutPlan.Demand(minimum: 2, preferred: 1 + min(3, state.outputLines.count), maximum: 1 + state.outputLines.count)
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        var out = [Rule.line(width: width, [("Daemon output", .title), ("replayed on exit", .label)])]
        for line in state.outputLines.suffix(height - 1) {
            var b = LineBuilder(width: width)
            let lower = line.lowercased()
            let style: TextStyle = lower.contains("error") || lower.contains("critical") ? .color(.red)
                : lower.contains("warn") ? .color(.yellow) : .dim
            b.text(" " + line, style, limit: width)
            out.append(b.build())
        }
        return fit(out, height: height, width: width)
    }
}

/// The `?` screen: the keys and what each part of the view shows.
struct HelpSection: BodySection {
    let width: Int

    static let text: [(String, String)] = [
        ("Keys", ""),
        ("q, Ctrl-C", "quit; the terminal is restored"),
        ("r", "fetch live stats of the source now and redraw everything"),
        ("c", "clear the selected source's entries (asks y/n, then shows the counts)"),
        ("← → ↑ ↓ Tab", "switch source; 1-9 jump to a source"),
        ("Ctrl-L", "redraw the screen"),
        ("?, h", "show or hide this help; any other key closes it"),
        ("", ""),
        ("What you see", ""),
        ("header", "monitord version, daemon uptime, connection state, where from"),
        ("cards", "the newest figures of the selected source"),
        ("trends", "its history, newest at the right; memory and disk share a scale"),
        ("alerts", "pending and firing, most severe first"),
        ("pipeline", "per subscription: queue, drops, deliveries; per source: health"),
        ("", ""),
        ("Colours are off when NO_COLOR is set.", ""),
    ]

    var demand: LayoutPlan.Demand { LayoutPlan.Demand(minimum: 1, preferred: Self.text.count + 1) }

    func lines(height: Int) -> [ScreenLine] {
        var out = [Rule.line(width: width, [("Help", .title), ("any key closes", .label)])]
        for (key, meaning) in Self.text {
            var b = LineBuilder(width: width)
            if meaning.isEmpty {
                b.text("  " + key, .title)
            } else {
                b.text("    " + key, .bold)
                b.pad(to: 20)
                b.text(meaning, .plain)
            }
            out.append(b.build())
        }
        return fit(out, height: height, width: width)
    }
}

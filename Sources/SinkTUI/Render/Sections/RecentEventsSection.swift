import MonitorKitCore

/// The newest happenings, newest first: clears, source errors, alert transitions. It takes the
/// rows no other section needs, so a tall terminal shows a short log.
struct RecentEventsSection: BodySection {
    let state: DashboardState
    let width: Int
    let now: Double

    var demand: LayoutPlan.Demand {
        // A snapshot has seen no live events: an empty section would say nothing.
        if state.connection == .snapshot, state.recentEvents.isEmpty { return LayoutPlan.Demand(minimum: 0, preferred: 0) }
        return LayoutPlan.Demand(minimum: 2, preferred: 1 + max(1, min(5, state.recentEvents.count)), maximum: 1 + max(1, state.recentEvents.count))
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        var out = [Rule.line(width: width, [("Recent events", .title)])]
        if state.recentEvents.isEmpty {
            var b = LineBuilder(width: width)
            b.text("  None since the view started.", .dim)
            out.append(b.build())
        }
        for event in state.recentEvents.reversed().prefix(height - 1) {
            out.append(row(event))
        }
        return fit(out, height: height, width: width)
    }

    func row(_ event: Event) -> ScreenLine {
        var b = LineBuilder(width: width)
        b.text("  " + Format.clock(event.time) + "  ", .label)
        b.text(event.source, .bold, limit: 14)
        b.space()
        b.text(event.name, .color(color(event)), limit: 18)
        b.space(2)
        b.text(summary(event), .plain, limit: b.remaining)
        return b.build()
    }

    func color(_ event: Event) -> TerminalColor {
        if event.name == "source.error" { return .red }
        if let alert = AlertNotice(event) {
            return alert.isActive ? AlertsSection.severityColor(alert) : .green
        }
        return .cyan
    }

    /// The few fields that say what happened.
    func summary(_ event: Event) -> String {
        let f = event.fields
        if event.kind == .alert, let name = f["alertname"]?.stringValue {
            let from = f["previous_state"]?.stringValue ?? "?", to = f["state"]?.stringValue ?? "?"
            return "\(name) \(from) → \(to)" + (f["value"]?.doubleValue.map { " (value \(Format.value(.double($0))))" } ?? "")
        }
        if event.name == "source.error" {
            return (f["error"]?.stringValue ?? "error") + (f["retry_in_seconds"]?.doubleValue.map { ", retry in \(Format.duration($0))" } ?? "")
        }
        return f.compactMap { entry -> String? in
            switch entry.value {
            case .list, .object: return nil
            default: return "\(entry.name)=\(Format.value(entry.value))"
            }
        }.joined(separator: " ")
    }
}

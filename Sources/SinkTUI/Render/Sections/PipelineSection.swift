/// The pipeline's health: each subscription's queue, drops and deliveries (trouble first), and
/// each source's state and sampling figures.
struct PipelineSection: BodySection {
    let state: DashboardState
    let width: Int
    let now: Double

    var pipeline: PipelineState { state.pipeline }
    var hasFigures: Bool { !pipeline.subscriptions.isEmpty || !pipeline.sources.isEmpty }

    var demand: LayoutPlan.Demand {
        guard hasFigures else { return LayoutPlan.Demand(minimum: 2, preferred: 2) }
        let table = pipeline.subscriptions.isEmpty ? 0 : 1 + pipeline.subscriptions.count
        return LayoutPlan.Demand(minimum: 2, preferred: 1 + table + pipeline.sources.count)
    }

    func lines(height: Int) -> [ScreenLine] {
        guard height > 0 else { return [] }
        let dropped = pipeline.subscriptions.reduce(0) { $0 + $1.dropped }
        var titleParts: [(String, TextStyle)] = [("Pipeline", .title)]
        if let published = pipeline.eventsPublished { titleParts.append(("\(Format.integer(published)) events published", .label)) }
        if hasFigures { titleParts.append(("\(Format.integer(dropped)) dropped", dropped > 0 ? .color(.red, bold: true) : .label)) }
        var out = [Rule.line(width: width, titleParts)]
        guard hasFigures else {
            var b = LineBuilder(width: width)
            b.text("  No pipeline figures yet (the internal source reports them each interval).", .dim)
            out.append(b.build())
            return fit(out, height: height, width: width)
        }
        let room = height - 1
        let subscriptions = pipeline.subscriptionsByConcern
        let table = subscriptions.isEmpty ? 0 : 1 + subscriptions.count
        // Sources keep at least one row when there are any, so a failing source is never hidden.
        let sourceRows = pipeline.sources.isEmpty ? 0 : min(pipeline.sources.count, max(1, room - table))
        let tableRoom = room - sourceRows
        if !subscriptions.isEmpty, tableRoom >= 2 {
            out.append(subscriptionHeader())
            let overflow = subscriptions.count > tableRoom - 1
            let shown = overflow ? tableRoom - 2 : subscriptions.count
            for subscription in subscriptions.prefix(shown) { out.append(row(subscription)) }
            if overflow {
                var b = LineBuilder(width: width)
                b.text("  … \(subscriptions.count - shown) more subscriptions", .label)
                out.append(b.build())
            }
        }
        let sources = pipeline.sources.sorted { ($0.state == "failing" ? 0 : 1, $0.id) < ($1.state == "failing" ? 0 : 1, $1.id) }
        for source in sources.prefix(max(0, height - out.count)) { out.append(row(source)) }
        return fit(out, height: height, width: width)
    }

    static let columns = (id: 2, queue: 20, bar: 33, dropped: 42, delivered: 54, whenFull: 66)

    func subscriptionHeader() -> ScreenLine {
        var b = LineBuilder(width: width)
        let c = Self.columns
        b.pad(to: c.id)
        b.text("subscription", .label)
        b.pad(to: c.queue)
        b.text("queued", .label, rightAlignedIn: c.bar - c.queue - 1)
        b.pad(to: c.dropped)
        b.text("dropped", .label, rightAlignedIn: c.delivered - c.dropped - 2)
        b.pad(to: c.delivered)
        b.text("delivered", .label, rightAlignedIn: c.whenFull - c.delivered - 2)
        b.pad(to: c.whenFull)
        b.text("when full", .label)
        return b.build()
    }

    func row(_ s: PipelineState.Subscription) -> ScreenLine {
        var b = LineBuilder(width: width)
        let c = Self.columns
        b.pad(to: c.id)
        b.text(s.id, .plain, limit: c.queue - c.id - 1)
        b.pad(to: c.queue)
        b.text("\(Format.integer(s.queued))/\(Format.integer(s.capacity))", .plain, rightAlignedIn: c.bar - c.queue - 1)
        b.pad(to: c.bar)
        let fill = s.capacity > 0 ? Double(s.queued) / Double(s.capacity) : 0
        let filled = fill > 0 ? max(1, Int((fill * 8).rounded())) : 0
        let barColor: TerminalColor = fill >= 0.9 ? .red : fill >= 0.5 ? .yellow : .green
        b.text(String(repeating: "█", count: filled), .color(barColor))
        b.text(String(repeating: "░", count: 8 - filled), .label)
        b.pad(to: c.dropped)
        b.text(Format.integer(s.dropped), s.dropped > 0 ? .color(.red, bold: true) : .plain, rightAlignedIn: c.delivered - c.dropped - 2)
        b.pad(to: c.delivered)
        b.text(Format.integer(s.delivered), .plain, rightAlignedIn: c.whenFull - c.delivered - 2)
        b.pad(to: c.whenFull)
        b.text(s.whenFull, .label)
        return b.build()
    }

    /// `source cache  ● ok  120 samples · 0 errors · 0 overruns · last 2.1ms, 3s ago`
    func row(_ s: PipelineState.SourceRow) -> ScreenLine {
        var b = LineBuilder(width: width)
        b.pad(to: 2)
        b.text("source ", .label)
        b.text(s.id, .bold, limit: 14)
        b.pad(to: 24)
        b.text("● " + s.state, .color(Chrome.stateColor(s.state), bold: s.state == "failing"))
        b.pad(to: 37)
        var parts: [String] = []
        if let samples = s.samples { parts.append("\(Format.integer(samples)) samples") }
        if let errors = s.errors { parts.append("\(Format.integer(errors)) errors") }
        if let overruns = s.overruns { parts.append("\(Format.integer(overruns)) overruns") }
        if let duration = s.lastDuration { parts.append(Format.fixed(duration * 1000, decimals: 1) + "ms") }
        if let success = s.lastSuccess { parts.append("ok " + Format.ago(success, now: now)) }
        let figures = parts.joined(separator: " · ")
        b.text(figures, (s.errors ?? 0) > 0 ? .color(.yellow) : .label, limit: b.remaining)
        return b.build()
    }
}

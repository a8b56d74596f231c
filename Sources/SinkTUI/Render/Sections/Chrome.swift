/// The fixed rows around the body: the header bar, the source tabs and the footer.
struct Chrome {
    let state: DashboardState
    let width: Int
    let now: Double

    /// ` monitord 0.1.0 │ up 2h 14m │ ● live │ http://… ` with the clock at the right.
    func header() -> ScreenLine {
        var b = LineBuilder(width: width, fill: .bar)
        b.text(" monitord \(state.version) ", TextStyle(bold: true, inverse: true))
        if let uptime {
            b.text("│ up \(Format.duration(uptime)) ", .bar)
        }
        b.text("│ ", .bar)
        b.text(connectionText, TextStyle(foreground: connectionColor, bold: true, inverse: true))
        b.text(" ", .bar)
        if case .remote(let url) = state.mode {
            b.text("│ \(url) ", .bar)
        } else {
            b.text("│ in-process ", .bar)
        }
        b.trailing(Format.clock(now) + " ", .bar)
        return b.build()
    }

    /// The daemon's uptime: from its start time, else from the last `internal.stats` plus the time since.
    var uptime: Double? {
        if let start = state.daemonStart { return max(0, now - start) }
        if let seconds = state.pipeline.uptimeSeconds, let at = state.pipeline.sampledAt, state.connection.isLive {
            return seconds + max(0, now - at)
        }
        return state.pipeline.uptimeSeconds
    }

    var connectionText: String {
        switch state.connection {
        case .local, .live, .connecting, .snapshot:
            return "● " + state.connection.label
        case .reconnecting(let attempt, let retryAt, _):
            let wait = retryAt > now ? " in \(Format.duration(retryAt - now))" : ""
            return "◌ reconnecting\(wait) (attempt \(attempt))"
        case .disconnected(let retryAt, _):
            let wait = retryAt > now ? ", retry in \(Format.duration(retryAt - now))" : ""
            return "○ disconnected\(wait)"
        }
    }

    var connectionColor: TerminalColor {
        switch state.connection {
        case .local, .live, .snapshot: .green
        case .connecting, .reconnecting: .yellow
        case .disconnected: .red
        }
    }

    /// ` Sources  [cache ●ok]  internal ●ok ` scrolled so the selection is always visible.
    func tabs() -> ScreenLine {
        var b = LineBuilder(width: width)
        b.text(" Sources ", .label)
        guard !state.sources.isEmpty else {
            b.text(state.connection.isLive ? " none yet" : " waiting for the daemon…", .dim)
            return b.build()
        }
        let selected = state.selectedIndex ?? 0
        // Each tab: ` [cache ● ok]` when selected, `  cache ● ok ` otherwise.
        let tabs = state.sources.enumerated().map { index, source -> (name: String, status: String) in
            let isSelected = index == selected
            return (" " + (isSelected ? "[" : " ") + source.id + " ", "● " + (source.state ?? "?") + (isSelected ? "]" : " "))
        }
        func tabWidth(_ i: Int) -> Int { DisplayWidth.of(tabs[i].name) + DisplayWidth.of(tabs[i].status) }
        var start = 0
        let room = width - b.column - 2
        while start < selected, (start...selected).reduce(0, { $0 + tabWidth($1) }) > room { start += 1 }
        if start > 0 { b.text("‹", .label) }
        for index in start..<tabs.count {
            if tabWidth(index) > b.remaining - 2, index != start {
                b.text(" ›", .label)
                break
            }
            let source = state.sources[index]
            let isSelected = index == selected
            b.text(tabs[index].name, isSelected ? TextStyle(bold: true, inverse: true) : .plain)
            b.text(tabs[index].status, TextStyle(foreground: Self.stateColor(source.state), bold: isSelected, inverse: isSelected))
        }
        return b.build()
    }

    static func stateColor(_ state: String?) -> TerminalColor {
        switch state {
        case "ok": .green
        case "starting": .yellow
        case "failing": .red
        default: .gray
        }
    }

    /// Keys, or the pending question, or a notice.
    func footer() -> ScreenLine {
        var b = LineBuilder(width: width)
        if case .confirmClear(let source) = state.prompt {
            b.text(" Clear every entry of \(source) and reset its statistics? [y/N] ", TextStyle(foreground: .yellow, bold: true, inverse: true))
            return b.build()
        }
        if let notice = state.notice, notice.until > now {
            let color: TerminalColor = switch notice.tone {
            case .info: .cyan
            case .success: .green
            case .warning: .yellow
            case .error: .red
            }
            b.text(" " + notice.text + " ", TextStyle(foreground: color, bold: true, inverse: true))
            return b.build()
        }
        for (key, label) in [("q", "quit"), ("r", "refresh"), ("c", "clear"), ("←→/Tab", "source"), ("?", "help")] {
            b.text(" " + key, .bold)
            b.text(" " + label + " ", .label)
        }
        if let last = state.lastEventAt {
            let age = now - last
            b.trailing("updated \(Format.ago(last, now: now)) ", age > 60 ? .color(.yellow) : .label)
        }
        return b.build()
    }
}

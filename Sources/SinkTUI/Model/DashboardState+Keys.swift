extension DashboardState {
    /// What a key does. The state changes here; the I/O the key asks for comes back as commands.
    mutating func handle(_ key: Key, now: Double) -> [DashboardCommand] {
        if case .confirmClear(let source) = prompt {
            prompt = nil
            if key == .character("y") || key == .character("Y") {
                notify("Clearing \(source)…", .info, now: now)
                return [.clear(source: source)]
            }
            if key == .interrupt { return [.quit] }
            notify("Clear cancelled", .info, now: now)
            return []
        }
        switch key {
        case .character("q"), .character("Q"), .interrupt:
            return [.quit]
        case .character("?"), .character("h"):
            showHelp.toggle()
            return []
        case _ where showHelp:
            // Any other key closes the help first, like a pager.
            showHelp = false
            return []
        case .escape:
            notice = nil
            return []
        case .character("r"), .character("R"):
            notify("Refreshing \(selectedID ?? "view")…", .info, now: now)
            return [.refresh(source: selectedID), .repaint]
        case .character("c"), .character("C"):
            guard let source = selectedSource else {
                notify("No source to clear", .warning, now: now)
                return []
            }
            guard source.canClear else {
                notify("Source \(source.id) has no clear action", .warning, now: now)
                return []
            }
            prompt = .confirmClear(source: source.id)
            notice = nil
            return []
        case .right, .down, .tab:
            select(offset: 1)
            return []
        case .left, .up, .backTab:
            select(offset: -1)
            return []
        case .character(let c) where c.isWholeNumber:
            if let n = c.wholeNumberValue, n >= 1, n <= sources.count {
                selectedID = sources[n - 1].id
                preferredSource = nil
            }
            return []
        case .redraw:
            return [.repaint]
        default:
            return []
        }
    }
}

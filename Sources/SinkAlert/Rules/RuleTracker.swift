/// The state of one rule, advanced by each sample of its source at the sample's own time, so the
/// same samples always give the same transitions (tests run in virtual time).
struct RuleTracker: Sendable {
    let rule: AlertRule
    private(set) var state: AlertState = .inactive
    /// Whether the condition holds, with hysteresis: it starts at the firing threshold and ends
    /// only past the clear threshold, so a value wandering between the two changes nothing.
    private(set) var holding = false
    private(set) var samples = 0
    private(set) var activeAt: Double?
    private(set) var firedAt: Double?
    private(set) var resolvedAt: Double?
    /// When the condition ended while firing (the start of `keep_firing_for`).
    private var endedAt: Double?
    private(set) var lastValue = 0.0

    private let forSeconds: Double
    private let keepSeconds: Double
    /// The rule's `rate` window, when it compares a counter's pace rather than its value.
    private var rate: RateWindow?

    init(rule: AlertRule) {
        self.rule = rule
        forSeconds = rule.forDuration.seconds
        keepSeconds = rule.keepFiringFor.seconds
        rate = rule.rate.map(RateWindow.init)
    }

    /// The rule was taken out of the config: a firing alert resolves, a pending one goes back
    /// to inactive. Returns the previous state on a transition.
    mutating func withdraw(at now: Double) -> AlertState? {
        let previous = state
        switch state {
        case .firing:
            state = .resolved
            resolvedAt = now
        case .pending:
            state = .inactive
        case .inactive, .resolved:
            return nil
        }
        return previous
    }

    /// Takes one sample: `reading` of the rule's metric (`nil` when the sample lacks it, which
    /// changes nothing) and whether the guards hold. Returns the previous state on a transition.
    mutating func observe(_ reading: Double?, guarded: Bool, at now: Double) -> AlertState? {
        guard let reading, reading.isFinite else { return nil }
        var value = reading
        if rate != nil {
            guard let perSecond = rate?.rate(adding: reading, at: now) else { return nil }
            value = perSecond
        }
        samples += 1
        lastValue = value
        let eligible = guarded && samples >= rule.minSamples
        if !eligible {
            holding = false
        } else if holding {
            holding = !rule.condition.ends(value)
        } else {
            holding = rule.condition.starts(value)
        }
        let previous = state
        switch state {
        case .inactive, .resolved:
            guard holding else { return nil }
            activeAt = now
            firedAt = nil
            resolvedAt = nil
            endedAt = nil
            if forSeconds <= 0 {
                state = .firing
                firedAt = now
            } else {
                state = .pending
            }
        case .pending:
            if !holding {
                state = .inactive
            } else if now - (activeAt ?? now) >= forSeconds {
                state = .firing
                firedAt = now
            } else {
                return nil
            }
        case .firing:
            if holding {
                endedAt = nil
                return nil
            }
            let ended = endedAt ?? now
            endedAt = ended
            guard now - ended >= keepSeconds else { return nil }
            state = .resolved
            resolvedAt = now
        }
        return previous
    }
}

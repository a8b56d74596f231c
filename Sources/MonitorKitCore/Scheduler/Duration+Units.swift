extension Duration {
    /// The duration in seconds, fractional: what rates, TTLs and timestamps are computed in.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }

    /// Whole nanoseconds (saturating).
    public var nanoseconds: Int64 {
        let (s, atto) = components
        let (product, overflow) = s.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : product + atto / 1_000_000_000
    }

    /// `250ms`, `5s`, `1.5s`, `10m`, `1h`, as the config writes durations.
    public var humanReadable: String {
        let ns = nanoseconds
        if ns % 3_600_000_000_000 == 0, ns > 0 { return "\(ns / 3_600_000_000_000)h" }
        if ns % 60_000_000_000 == 0, ns > 0 { return "\(ns / 60_000_000_000)m" }
        if ns % 1_000_000_000 == 0 { return "\(ns / 1_000_000_000)s" }
        if ns % 1_000_000 == 0 { return "\(ns / 1_000_000)ms" }
        return "\(seconds)s"
    }
}

/// Config durations: `250ms`, `5s`, `1.5s`, `10m`, `1h`, `2h30m`, `1d`, and a bare number of seconds.
enum DurationParsing {
    struct Problem: Error { var message: String }

    private static let nanosecondsPerUnit: [String: Double] = [
        "ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9,
    ]

    static let hint = "write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"

    static func parse(_ text: String) -> Result<Duration, Problem> {
        let trimmed = Array(text.trimmingSpaces)
        if trimmed.first == "-" {
            return .failure(Problem(message: "a duration cannot be negative, found \(quoted(text))"))
        }
        guard !trimmed.isEmpty else {
            return .failure(Problem(message: "expected a duration, found nothing; \(hint)"))
        }
        var total = 0.0
        var index = 0
        var sawUnit = false
        while index < trimmed.count {
            let numberStart = index
            while index < trimmed.count, trimmed[index].isNumber || trimmed[index] == "." { index += 1 }
            guard let amount = Double(String(trimmed[numberStart..<index])) else {
                return .failure(Problem(message: "expected a duration, found \(quoted(text)); \(hint)"))
            }
            while index < trimmed.count, trimmed[index] == " " { index += 1 }
            let unitStart = index
            while index < trimmed.count, trimmed[index].isLetter { index += 1 }
            let unit = String(trimmed[unitStart..<index])
            while index < trimmed.count, trimmed[index] == " " { index += 1 }
            if unit.isEmpty {
                // A bare number means seconds, but only on its own: "1h30" is more likely a slip.
                guard !sawUnit, index == trimmed.count else {
                    return .failure(Problem(message: "expected a duration, found \(quoted(text)); every part needs a unit; \(hint)"))
                }
                total += amount * 1e9
                break
            }
            guard let factor = nanosecondsPerUnit[unit] else {
                return .failure(Problem(message: "unknown duration unit \(quoted(unit)) in \(quoted(text)); units are ns, us, ms, s, m, h, d"))
            }
            sawUnit = true
            total += amount * factor
        }
        guard total < 9.2e18 else {
            return .failure(Problem(message: "duration \(quoted(text)) is too long"))
        }
        return .success(.nanoseconds(Int64(total.rounded())))
    }

    /// A duration the way a config writes it: `5s`, `250ms`, `2h30m`, `1.5s`.
    static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 {
            if seconds == 0 { return "0s" }
            var rest = seconds
            var text = ""
            for (unit, size) in [("d", Int64(86400)), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
                text += "\(rest / size)\(unit)"
                rest %= size
            }
            return seconds < 0 ? "\(seconds)s" : text
        }
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        if seconds == 0 {
            // The largest unit that keeps a whole number: 250ms, 1500us, 1ns.
            for (unit, size) in [("ms", 1e6), ("us", 1e3)] where (nanoseconds / size).rounded() == nanoseconds / size {
                return "\(Int64(nanoseconds / size))\(unit)"
            }
            if nanoseconds >= 1e6 { return "\(nanoseconds / 1e6)ms" }
            return nanoseconds == nanoseconds.rounded() ? "\(Int64(nanoseconds))ns" : "\(nanoseconds)ns"
        }
        return "\(nanoseconds / 1e9)s"
    }
}

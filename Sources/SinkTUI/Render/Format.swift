#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

/// How numbers, sizes and times read in the view.
enum Format {
    /// `1234567` → `1,234,567`.
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }

    /// A fixed number of decimals, rounding half to even like `printf`, so the view shows what
    /// `printf "%.1f"` of the API's number shows.
    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "—" }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * scale).rounded(.toNearestOrEven)
        guard scaled < 9.0e18 else { return String(value) }
        let whole = Int(scaled) / Int(scale)
        let fraction = Int(scaled) % Int(scale)
        var out = (value < 0 && scaled > 0 ? "-" : "") + integer(whole)
        if decimals > 0 {
            let text = String(fraction)
            out += "." + String(repeating: "0", count: decimals - text.count) + text
        }
        return out
    }

    /// A fraction 0..1 as a percentage with one decimal: `0.9231` → `92.3%`.
    static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 1) + "%"
    }

    static func megabytes(_ value: Double) -> String {
        fixed(value, decimals: 2) + " MB"
    }

    /// `45s`, `12m 05s`, `2h 14m`, `3d 04h`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "—" }
        let s = Int(seconds)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m \(two(s % 60))s" }
        if s < 86400 { return "\(s / 3600)h \(two(s % 3600 / 60))m" }
        return "\(s / 86400)d \(two(s % 86400 / 3600))h"
    }

    /// `now` − `time` as `3s ago`.
    static func ago(_ time: Double, now: Double) -> String {
        duration(max(0, now - time)) + " ago"
    }

    /// Any field value, compactly: counts grouped, fractions with up to three decimals.
    static func value(_ value: Value) -> String {
        switch value {
        case .int(let i): return integer(i)
        case .double(let d):
            if d == d.rounded(), d.magnitude < 1e15 { return integer(Int(d)) }
            return fixed(d, decimals: d.magnitude >= 100 ? 1 : 3)
        case .string(let s): return s
        case .bool(let b): return b ? "yes" : "no"
        case .null: return "—"
        case .list(let l): return "[\(l.count)]"
        case .object(let f): return "{\(f.count)}"
        }
    }

    /// Local wall-clock time `HH:MM:SS`.
    static func clock(_ time: Double) -> String {
        var seconds = time_t(time)
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return "--:--:--" }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : String(n) }
        return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
    }
}

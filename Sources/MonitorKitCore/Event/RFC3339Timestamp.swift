/// Writes Unix seconds as RFC 3339 UTC with milliseconds: `2026-11-24T21:30:00.123Z`.
///
/// Hand-written because `DateFormatter` costs microseconds per call and the log sink stamps every
/// line; the date part is cached, so consecutive lines in the same second only format the clock.
/// Shared by the log sink (`@timestamp`) and the alert sink (`startsAt`, `endsAt`).
public struct RFC3339Timestamp: Sendable {
    private var cachedDay = Int64.min
    /// `YYYY-MM-DDT` of `cachedDay`.
    private var datePrefix: [UInt8] = []

    /// A formatter with no date cached yet.
    public init() {}

    /// The timestamp as a `String` (for callers outside the hot path).
    public static func string(_ time: Double) -> String {
        var formatter = RFC3339Timestamp()
        var bytes: [UInt8] = []
        formatter.append(time, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the 24 bytes of `time` to `bytes`.
    public mutating func append(_ time: Double, to bytes: inout [UInt8]) {
        // Floor to milliseconds first so 59.9996 never prints as second 60.
        let millis = time.isFinite ? Int64((time * 1000).rounded(.down)) : 0
        let seconds = Self.floorDiv(millis, 1000)
        let day = Self.floorDiv(seconds, 86_400)
        if day != cachedDay {
            cachedDay = day
            datePrefix = Self.date(day: day)
        }
        bytes.append(contentsOf: datePrefix)
        let secondOfDay = Int(seconds - day * 86_400)
        Self.two(secondOfDay / 3600, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.two(secondOfDay / 60 % 60, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        Self.two(secondOfDay % 60, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        let ms = Int(millis - seconds * 1000)
        bytes.append(UInt8(48 + ms / 100))
        bytes.append(UInt8(48 + ms / 10 % 10))
        bytes.append(UInt8(48 + ms % 10))
        bytes.append(UInt8(ascii: "Z"))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func two(_ n: Int, to bytes: inout [UInt8]) {
        bytes.append(UInt8(48 + n / 10))
        bytes.append(UInt8(48 + n % 10))
    }

    /// `YYYY-MM-DDT` for a day number since 1970-01-01 (Howard Hinnant's civil_from_days).
    private static func date(day: Int64) -> [UInt8] {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        let y = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        var out: [UInt8] = []
        out.reserveCapacity(11)
        let year = min(max(y, 0), 9999)
        out.append(UInt8(48 + year / 1000))
        out.append(UInt8(48 + year / 100 % 10))
        out.append(UInt8(48 + year / 10 % 10))
        out.append(UInt8(48 + year % 10))
        out.append(UInt8(ascii: "-"))
        two(m, to: &out)
        out.append(UInt8(ascii: "-"))
        two(d, to: &out)
        out.append(UInt8(ascii: "T"))
        return out
    }
}

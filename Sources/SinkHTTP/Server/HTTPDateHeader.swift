#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ServiceLifecycle
import Synchronization

/// The `Date` response header (RFC 9110 IMF-fixdate), formatted once a second rather than per
/// response.
final class HTTPDateHeader: Service, Sendable {
    private let current: Mutex<String>

    init() {
        current = Mutex(Self.format(time(nil)))
    }

    /// The header value now, to the second.
    var value: String {
        current.withLock { $0 }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                let now = Self.format(time(nil))
                self.current.withLock { $0 = now }
            }
        }
    }

    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    static func format(_ seconds: time_t) -> String {
        var clock = seconds
        var parts = tm()
        gmtime_r(&clock, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let day = days[Int(parts.tm_wday) % 7], month = months[Int(parts.tm_mon) % 12]
        return "\(day), \(two(parts.tm_mday)) \(month) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }

    /// The Unix time of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form every client
    /// sends today; `nil` for anything else (a conditional header that cannot be read is ignored).
    static func parse(_ text: String) -> time_t? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","), parts[5] == "GMT",
              let day = Int32(parts[1]), let month = months.firstIndex(of: String(parts[2])), let year = Int32(parts[3])
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let hour = Int32(clock[0]), let minute = Int32(clock[1]), let second = Int32(clock[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second), year >= 1970
        else { return nil }
        var parts2 = tm()
        parts2.tm_year = year - 1900
        parts2.tm_mon = Int32(month)
        parts2.tm_mday = day
        parts2.tm_hour = hour
        parts2.tm_min = minute
        parts2.tm_sec = second
        return timegm(&parts2)
    }
}

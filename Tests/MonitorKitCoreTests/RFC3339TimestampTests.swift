import Testing
import MonitorKitCore

@Suite struct RFC3339TimestampTests {
    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_795_000_000.25, "2026-11-18T11:06:40.250Z"),
        (1_709_164_799.9999, "2024-02-28T23:59:59.999Z"),  // floored, never rounded up into the next second
        (951_782_400.5, "2000-02-29T00:00:00.500Z"),  // a leap day of a century leap year
        (-1.5, "1969-12-31T23:59:58.500Z"),
    ])
    func formatsUTCWithMilliseconds(time: Double, expected: String) {
        #expect(RFC3339Timestamp.string(time) == expected)
    }

    @Test func consecutiveCallsAcrossMidnightUseTheRightDate() {
        var formatter = RFC3339Timestamp()
        var bytes: [UInt8] = []
        formatter.append(1_795_046_399.999, to: &bytes)
        formatter.append(1_795_046_400.0, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "2026-11-18T23:59:59.999Z2026-11-19T00:00:00.000Z")
    }
}

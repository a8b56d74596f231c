import MonitorKitCore
import Testing

@Suite("Durations and sizes in config values")
struct DurationAndSizeTests {
    struct Holder: Decodable {
        var value: Duration?
        var size: ByteSize?
        var list: [Duration]?
    }

    func duration(_ text: String) throws(ConfigErrors) -> Duration? {
        try YAMLDecoder().decode(Holder.self, from: "value: \(text)\n", file: "t.yaml", environment: [:]).value
    }

    func size(_ text: String) throws(ConfigErrors) -> ByteSize? {
        try YAMLDecoder().decode(Holder.self, from: "size: \(text)\n", file: "t.yaml", environment: [:]).size
    }

    @Test("durations: units, fractions, combinations, and a bare number as seconds", arguments: [
        ("250ms", Duration.milliseconds(250)), ("5s", .seconds(5)), ("1.5s", .milliseconds(1500)),
        ("10m", .seconds(600)), ("1h", .seconds(3600)), ("2h30m", .seconds(9000)), ("1m30s", .seconds(90)),
        ("1d", .seconds(86400)), ("30", .seconds(30)), ("0.5", .milliseconds(500)), ("\"45s\"", .seconds(45)),
        ("0s", .zero), ("750us", .microseconds(750)), ("100ns", .nanoseconds(100)), ("1h 30m", .seconds(5400)),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try duration(text) == expected)
    }

    @Test("bad durations say what was found and what to write")
    func badDurations() {
        #expect(decodeErrors(Holder.self, "value: 5 minutes\n") == [
            #"test.yaml:1:8: value: unknown duration unit "minutes" in "5 minutes"; units are ns, us, ms, s, m, h, d"#,
        ])
        #expect(decodeErrors(Holder.self, "value: -5s\n") == [#"test.yaml:1:8: value: a duration cannot be negative, found "-5s""#])
        #expect(decodeErrors(Holder.self, "value: 1h30\n") == [
            #"test.yaml:1:8: value: expected a duration, found "1h30"; every part needs a unit; write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"#,
        ])
        #expect(decodeErrors(Holder.self, "value: [1s]\n") == [#"test.yaml:1:8: value: expected a duration, found a list"#])
        #expect(decodeErrors(Holder.self, "list: [1s, never]\n") == [
            #"test.yaml:1:12: list[1]: expected a duration, found "never"; write a duration like 250ms, 5s, 1.5s, 10m, 1h or 2h30m, or a number of seconds"#,
        ])
    }

    @Test("sizes: decimal and binary units, fractions, bare bytes", arguments: [
        ("512KiB", Int64(512 * 1024)), ("100MB", 100_000_000), ("2GiB", 2 << 30), ("1.5GiB", 3 << 29),
        ("4096", 4096), ("10 kb", 10_000), ("1TiB", 1 << 40), ("64B", 64), ("\"8MiB\"", 8 << 20), ("0", 0),
    ])
    func sizes(text: String, bytes: Int64) throws {
        #expect(try size(text) == ByteSize(bytes: bytes))
    }

    @Test("bad sizes are rejected with a message that shows the formats")
    func badSizes() {
        let formats = "write a size like 512KiB, 100MB or 2GiB (KB/MB/GB are 1000-based, KiB/MiB/GiB 1024-based) or a number of bytes"
        #expect(decodeErrors(Holder.self, "size: -1\n") == [#"test.yaml:1:7: size: a size cannot be negative, found -1"#])
        #expect(decodeErrors(Holder.self, "size: -2GiB\n") == [#"test.yaml:1:7: size: a size cannot be negative, found "-2GiB""#])
        #expect(decodeErrors(Holder.self, "size: lots\n") == [#"test.yaml:1:7: size: expected a size, found "lots"; "# + formats])
        #expect(decodeErrors(Holder.self, "size: 5G\n") == [#"test.yaml:1:7: size: unknown size unit "G" in "5G"; "# + formats])
        #expect(decodeErrors(Holder.self, "size: 1.5\n") == [#"test.yaml:1:7: size: a number of bytes must be whole, found "1.5"; "# + formats])
        #expect(decodeErrors(Holder.self, "size: 99999999TiB\n") == [#"test.yaml:1:7: size: size "99999999TiB" is too large"#])
    }

    @Test("ByteSize reads back in the largest exact unit and parses from text")
    func byteSizeText() {
        #expect(ByteSize(bytes: 512 * 1024).description == "512KiB")
        #expect(ByteSize(bytes: 100_000_000).description == "100MB")
        #expect(ByteSize(bytes: 1 << 30).description == "1GiB")
        #expect(ByteSize(bytes: 1500).description == "1500 bytes")
        #expect(ByteSize(bytes: 0).description == "0 bytes")
        #expect(ByteSize("2GiB") == ByteSize(bytes: 2 << 30))
        #expect(ByteSize("two") == nil)
    }
}

import MonitorKitCore
import Testing

@Suite("JSON")
struct JSONTests {
    @Test("writer keeps field order and JSON types")
    func writer() {
        let fields: Fields = [
            "z": .int(3), "a": .double(0.5), "whole": .double(2), "s": .string("q\"\\\n\u{01}é"), "b": .bool(true),
            "n": .null, "l": .list([.int(1), .string("x")]), "o": .object(["k": .int(1)]), "nan": .double(.nan),
        ]
        #expect(fields.json == #"{"z":3,"a":0.5,"whole":2.0,"s":"q\"\\\n\u0001é","b":true,"n":null,"l":[1,"x"],"o":{"k":1},"nan":null}"#)
    }

    @Test("parser round-trips the writer, keeping order")
    func roundTrip() throws {
        let fields: Fields = ["b": .int(-7), "a": .double(1.25e-7), "u": .string("✓ \u{1F600}"), "l": .list([.null, .bool(false)])]
        let parsed = try JSONParser.parse(fields.json)
        #expect(parsed == .object(fields))
        #expect(parsed.objectValue?.names == ["b", "a", "u", "l"])
    }

    @Test("parser reads escapes and surrogate pairs")
    func escapes() throws {
        #expect(try JSONParser.parse(#""a\u00e9\ud83d\ude00\n""#) == .string("aé😀\n"))
    }

    @Test("parser rejects bad input with a position", arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "1 2", "\"abc"])
    func rejects(text: String) {
        #expect(throws: JSONParser.Error.self) { try JSONParser.parse(text) }
    }

    @Test("an event's wire shape")
    func event() throws {
        let event = Event(source: "cache", name: "cache.stats", kind: .metric, time: 1700000000.5, fields: ["hits": .int(2)])
        #expect(event.json == #"{"source":"cache","name":"cache.stats","kind":"metric","time":1700000000.5,"fields":{"hits":2}}"#)
    }
}

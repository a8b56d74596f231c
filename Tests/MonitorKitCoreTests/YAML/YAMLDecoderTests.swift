import MonitorKitCore
import Testing

@Suite("YAML decoder")
struct YAMLDecoderTests {
    struct Server: Decodable, Equatable {
        enum Mode: String, Decodable, CaseIterable { case fast, safe }
        struct Limits: Decodable, Equatable {
            var maxEvents: Int
            enum CodingKeys: String, CodingKey { case maxEvents = "max_events" }
        }

        var host: String
        var port: Int
        var verbose: Bool?
        var ratio: Double?
        var mode: Mode?
        var limits: Limits?
        var tags: [String]?
        var labels: [String: String]?
    }

    func decode<T: Decodable>(_ type: T.Type, _ text: String, environment: [String: String] = [:]) throws(ConfigErrors) -> T {
        try YAMLDecoder().decode(T.self, from: text, file: "test.yaml", environment: environment)
    }

    @Test("decodes scalars, nested mappings, lists and dictionaries")
    func decodesStructs() throws {
        let server = try decode(Server.self, """
            host: example
            port: 8080
            verbose: yes
            ratio: 0.75
            mode: safe
            limits: { max_events: 10 }
            tags: [a, b]
            labels: { team: core, "tier": "1" }
            """)
        #expect(server == Server(
            host: "example", port: 8080, verbose: true, ratio: 0.75, mode: .safe, limits: .init(maxEvents: 10),
            tags: ["a", "b"], labels: ["team": "core", "tier": "1"]))
    }

    @Test("numbers and booleans written as quoted strings still decode; null keys take defaults")
    func quotedNumbers() throws {
        let server = try decode(Server.self, """
            host: "h"
            port: "${API_PORT:-8000}"
            verbose: 'false'
            ratio: "1e-1"
            mode: ~
            limits:
            """, environment: [:])
        #expect(server.port == 8000)
        #expect(server.verbose == false)
        #expect(server.ratio == 0.1)
        #expect(server.mode == nil)
        #expect(server.limits == nil)
    }

    @Test("a type error names position, path, expectation and what was found")
    func typeError() {
        #expect(decodeErrors(Server.self, "host: h\nport: eighty\n") == [
            #"test.yaml:2:7: port: expected an integer, found "eighty""#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nverbose: maybe\n") == [
            #"test.yaml:3:10: verbose: expected true or false, found "maybe""#,
        ])
        #expect(decodeErrors(Server.self, "host: [a]\nport: 1\n") == [
            #"test.yaml:1:7: host: expected a string, found a list"#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nlimits: 5\n") == [
            #"test.yaml:3:9: limits: expected a mapping (key: value lines), found "5""#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\ntags: {a: 1}\n") == [
            #"test.yaml:3:7: tags: expected a list, found a mapping"#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 99999999999999999999\n") == [
            #"test.yaml:2:7: port: expected an integer, found "99999999999999999999"; it must be between -9223372036854775808 and 9223372036854775807"#,
        ])
        #expect(decodeErrors(Server.self, "host:\nport: 1\n") == [
            #"test.yaml:1:6: host: expected a string, found nothing; write "" for an empty string"#,
        ])
    }

    @Test("a missing required field is reported at its mapping")
    func missingField() {
        #expect(decodeErrors(Server.self, "host: h\n") == [#"test.yaml:1:1: port: missing required field "port""#])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nlimits: {}\n") == [
            #"test.yaml:3:9: limits.max_events: missing required field "max_events""#,
        ])
    }

    @Test("a misspelled key is unknown, with a did-you-mean")
    func unknownKeySuggestion() {
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nprot: 2\n") == [
            #"test.yaml:3:1: prot: unknown field "prot" (did you mean "port"?)"#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nlimits: { max_event: 3, max_events: 1 }\n") == [
            #"test.yaml:3:11: limits.max_event: unknown field "max_event" (did you mean "max_events"?)"#,
        ])
    }

    @Test("an unknown key nothing resembles lists the valid fields")
    func unknownKeyList() {
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nzzz: 2\n") == [
            #"test.yaml:3:1: zzz: unknown field "zzz"; valid fields are: host, port, verbose, ratio, mode, limits, tags, labels"#,
        ])
    }

    @Test("unknown keys are all reported, together with the first type error")
    func severalErrors() {
        #expect(decodeErrors(Server.self, "hots: h\nport: x\nmode: fast\nverbos: true\n") == [
            #"test.yaml:1:1: host: missing required field "host""#,
            #"test.yaml:1:1: hots: unknown field "hots" (did you mean "host"?)"#,
            #"test.yaml:4:1: verbos: unknown field "verbos" (did you mean "verbose"?)"#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: x\nmode: fast\nverbos: true\n") == [
            #"test.yaml:2:7: port: expected an integer, found "x""#,
            #"test.yaml:4:1: verbos: unknown field "verbos" (did you mean "verbose"?)"#,
        ])
    }

    @Test("allowedKeys are accepted at the top mapping only")
    func allowedKeys() throws {
        let node = try YAMLParser.parse("type: x\nhost: h\nport: 1\nlimits: { max_events: 1, type: y }\n", file: "t.yaml")
        do {
            _ = try YAMLDecoder().decode(Server.self, from: node, file: "t.yaml", allowedKeys: ["type"])
            Issue.record("expected an error for limits.type")
        } catch {
            #expect(error.description == #"t.yaml:4:26: limits.type: unknown field "type"; valid fields are: max_events"#)
        }
    }

    @Test("an enum lists its values, with a did-you-mean when close")
    func enumValues() {
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nmode: fsat\n") == [
            #"test.yaml:3:7: mode: expected one of fast, safe, found "fsat" (did you mean "fast"?)"#,
        ])
        #expect(decodeErrors(Server.self, "host: h\nport: 1\nmode: turbo\n") == [
            #"test.yaml:3:7: mode: expected one of fast, safe, found "turbo""#,
        ])
        #expect(decodeErrors(BufferPolicy.self, "when_full: drop_olest\n") == [
            #"test.yaml:1:12: when_full: expected one of drop_oldest, drop_newest, block, found "drop_olest" (did you mean "drop_oldest"?)"#,
        ])
    }

    @Test("a validation error thrown in init(from:) is placed at the key's value")
    func validationError() {
        #expect(decodeErrors(BufferPolicy.self, "when_full: block\nmax_events: 0\n") == [
            "test.yaml:2:13: max_events: max_events must be between 1 and 10,000,000, found 0",
        ])
    }

    @Test("list elements get [index] paths")
    func listPaths() {
        struct Rules: Decodable { var rules: [Server.Limits] }
        #expect(decodeErrors(Rules.self, "rules:\n  - { max_events: 3, extra: 1 }\n  - max_events: two\n") == [
            #"test.yaml:2:22: rules[0].extra: unknown field "extra"; valid fields include: max_events"#,
            #"test.yaml:3:17: rules[1].max_events: expected an integer, found "two""#,
        ])
        // Elements after the first type error are not reached; their keys are checked once it is fixed.
        #expect(decodeErrors(Rules.self, "rules:\n  - max_events: 1\n  - { max_events: 3, extra: 1 }\n") == [
            #"test.yaml:3:22: rules[1].extra: unknown field "extra"; valid fields are: max_events"#,
        ])
    }

    @Test("an empty struct rejects every key")
    func emptyStruct() {
        struct Nothing: Decodable {}
        #expect(decodeErrors(Nothing.self, "a: 1\n") == [#"test.yaml:1:1: a: unknown field "a"; this section takes no fields"#])
    }

    @Test("an unset variable is reported once, with the path of the value")
    func unsetVariable() {
        #expect(decodeErrors(Server.self, "host: h\nport: ${API_PORT}\n") == [
            "test.yaml:2:7: port: environment variable API_PORT is not set; set it, or give a default with ${API_PORT:-value}",
        ])
    }
}

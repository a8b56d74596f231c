import MonitorKitCore
import Testing

@Suite("YAML parser")
struct YAMLParserTests {
    func parse(_ text: String) throws(ConfigErrors) -> YAMLNode {
        try YAMLParser.parse(text, file: "test.yaml")
    }

    func errors(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return ["<parsed without errors>"]
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test("keeps 1-based line and column on every node and key")
    func marks() throws {
        let root = try parse("""
            # comment
            sinks:
              api:
                port: 8000
                tags: [a, "b"]
            """)
        let api = try #require(root["sinks"]?["api"])
        #expect(api.mark == .init(line: 4, column: 5))
        let port = try #require(api.entry("port"))
        #expect(port.keyMark == .init(line: 4, column: 5))
        #expect(port.value.mark == .init(line: 4, column: 11))
        #expect(port.value.scalar == YAMLNode.Scalar("8000"))
        let tags = try #require(api["tags"]?.elements)
        #expect(tags.map(\.mark) == [.init(line: 5, column: 12), .init(line: 5, column: 15)])
        #expect(tags.map { $0.scalar?.style } == [.plain, .doubleQuoted])
    }

    @Test("keeps mapping order, scalar style and explicit tags")
    func scalars() throws {
        let root = try parse("""
            z: plain
            a: 'single'
            m: !!str 123
            n: ~
            e:
            q: ""
            """)
        #expect(root.entries?.map(\.key) == ["z", "a", "m", "n", "e", "q"])
        #expect(root["a"]?.scalar?.style == .singleQuoted)
        #expect(root["m"]?.scalar?.tag == "tag:yaml.org,2002:str")
        #expect(root["n"]?.isNull == true)
        #expect(root["e"]?.isNull == true)
        #expect(root["q"]?.isNull == false)
        #expect(root["q"]?.scalar?.isQuoted == true)
    }

    @Test("an empty or comment-only file is an empty mapping")
    func empty() throws {
        #expect(try parse("") == .emptyMapping)
        #expect(try parse("# nothing here\n").entries == [])
    }

    @Test("a duplicate key is an error at the second key naming the first's line")
    func duplicateKey() {
        #expect(errors("""
            sinks:
              api:
                port: 8000
                host: x
                port: 9000
            """) == [#"test.yaml:5:5: sinks.api.port: duplicate key "port" (first at line 3); keep only one of them"#])
    }

    @Test("every duplicate key in the file is reported")
    func duplicateKeys() {
        #expect(errors("a: 1\nb: 2\na: 3\nc: [x, {k: 1, k: 2}]\n") == [
            #"test.yaml:3:1: a: duplicate key "a" (first at line 1); keep only one of them"#,
            #"test.yaml:4:15: c[1].k: duplicate key "k" (first at line 4); keep only one of them"#,
        ])
    }

    @Test("a second document is an error at its ---")
    func twoDocuments() {
        #expect(errors("a: 1\n---\nb: 2\n") == [
            #"test.yaml:2:1: a second YAML document starts here; monitord reads one document per file, so remove this "---" and merge the two"#,
        ])
        // One explicit document is fine.
        #expect((try? parse("---\na: 1\n...\n"))?["a"]?.scalar?.text == "1")
    }

    @Test("a syntax error carries libyaml's problem, its position and a hint")
    func syntaxError() {
        #expect(errors("sources:\n  cache:\n    type: cache\n   interval: 5s\n") == [
            "test.yaml:4:4: did not find expected key (while parsing a block mapping at line 2, column 3); "
                + "check the indentation and that every quote and bracket is closed",
        ])
        #expect(errors("a: b: c\n") == [
            #"test.yaml:1:5: mapping values are not allowed in this context; a value containing ": " must be quoted"#,
        ])
        #expect(errors("a: [1, 2\n") == [
            "test.yaml:2:1: did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4); "
                + "check the indentation and that every quote and bracket is closed",
        ])
    }

    @Test("a tab used for indentation gets a hint")
    func tab() {
        let lines = errors("a:\n\tb: 1\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("test.yaml:2:1: found character that cannot start any token") == true)
        #expect(lines.first?.hasSuffix("YAML does not allow tabs for indentation, use spaces") == true)
    }

    @Test("aliases resolve to a copy of the anchored node")
    func aliases() throws {
        let root = try parse("""
            base: &limits { max_events: 10, when_full: block }
            a: *limits
            list: [&x one, *x]
            """)
        #expect(root["a"] == root["base"])
        #expect(root["a"]?["when_full"]?.scalar?.text == "block")
        #expect(root["list"]?.elements?.map { $0.scalar?.text } == ["one", "one"])
    }

    @Test("an undefined alias is an error at the alias")
    func undefinedAlias() {
        #expect(errors("a: 1\nb: *nope\n") == [
            #"test.yaml:2:4: b: undefined alias "*nope"; define the anchor first with "&nope" on the value to reuse"#,
        ])
    }

    @Test("<< merges mappings; explicit keys win wherever they are written")
    func mergeKeys() throws {
        let root = try parse("""
            defaults: &defaults { interval: 5s, timeout: 2s, type: cache }
            more: &more { jitter: 1s, interval: 9s }
            one:
              interval: 10s
              <<: *defaults
            two:
              <<: [*more, *defaults]
              type: other
            """)
        let one = try #require(root["one"]?.entries)
        #expect(one.map(\.key) == ["interval", "timeout", "type"])
        #expect(root["one"]?["interval"]?.scalar?.text == "10s")
        #expect(root["two"]?["interval"]?.scalar?.text == "9s", "earlier merge sources win")
        #expect(root["two"]?["type"]?.scalar?.text == "other")
        #expect(root["two"]?["jitter"]?.scalar?.text == "1s")
    }

    @Test("<< of something that is not a mapping is an error")
    func badMerge() {
        #expect(errors("a:\n  <<: 5\n") == [
            #"test.yaml:2:7: a.<<: "<<" merges a mapping or a list of mappings (usually an alias like *defaults), found "5""#,
        ])
    }

    @Test("a mapping used as a key is an error")
    func complexKey() {
        #expect(errors("? {a: 1}\n: x\n") == [
            #"test.yaml:1:3: a key must be a plain name, found a mapping"#,
        ])
    }
}

@Suite("YAML parser limits")
struct YAMLParserLimitTests {
    @Test("nested aliases that would expand to millions of values are refused")
    func billionLaughs() {
        var text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for (level, previous) in zip("bcdefgh", "abcdefg") {
            let alias = "*\(previous)"
            text += "\(level): &\(level) [\(Array(repeating: alias, count: 10).joined(separator: ", "))]\n"
        }
        do {
            _ = try YAMLParser.parse(text, file: "t.yaml")
            Issue.record("expected the expansion limit to stop the parse")
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.message == "aliases here expand the file to more than 1000000 values; use fewer nested aliases")
            #expect(error.errors.first?.line == 6, "level f would hold 1,111,111 values")
        }
    }
}

@testable import MonitorKitCore
import Testing

@Suite("Environment interpolation")
struct InterpolationTests {
    let env = ["API_PORT": "9000", "EMPTY": "", "HOST": "10.0.0.1"]

    func interpolate(_ text: String) throws(EnvironmentInterpolation.Failure) -> String {
        try EnvironmentInterpolation(environment: env).interpolate(text)
    }

    func failure(_ text: String) -> String? {
        do {
            _ = try interpolate(text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("${VAR} substitutes, inside other text too")
    func plain() throws {
        #expect(try interpolate("${API_PORT}") == "9000")
        #expect(try interpolate("http://${HOST}:${API_PORT}/x") == "http://10.0.0.1:9000/x")
        #expect(try interpolate("${EMPTY}") == "", "set but empty is still set")
    }

    @Test("${VAR:-default} applies when unset or empty; ${VAR-default} only when unset")
    func defaults() throws {
        #expect(try interpolate("${API_PORT:-8000}") == "9000")
        #expect(try interpolate("${MISSING:-8000}") == "8000")
        #expect(try interpolate("${EMPTY:-fallback}") == "fallback")
        #expect(try interpolate("${EMPTY-fallback}") == "")
        #expect(try interpolate("${MISSING-fallback}") == "fallback")
        #expect(try interpolate("${MISSING:-}") == "")
        #expect(try interpolate("${MISSING:-${HOST}:1}") == "10.0.0.1:1", "a default may itself reference a variable")
    }

    @Test("$$ is a literal $, and a lone $ stays as written")
    func dollars() throws {
        #expect(try interpolate("cost $$5 and $${HOST}") == "cost $5 and ${HOST}")
        #expect(try interpolate("5$ or $HOST") == "5$ or $HOST")
        #expect(try interpolate("end$") == "end$")
    }

    @Test("an unset variable without default names the variable and the fix")
    func unset() {
        #expect(failure("${API_TOKEN}") == "environment variable API_TOKEN is not set; set it, or give a default with ${API_TOKEN:-value}")
    }

    @Test("${VAR:?message} fails with the message when unset or empty")
    func required() throws {
        #expect(failure("${MISSING:?set it to the cache directory}") == "environment variable MISSING is required: set it to the cache directory")
        #expect(failure("${EMPTY:?needed}") == "environment variable EMPTY is required: needed")
        #expect(failure("${MISSING:?}") == "environment variable MISSING is not set; set it")
        #expect(try interpolate("${EMPTY?needed}") == "")
        #expect(try interpolate("${HOST:?needed}") == "10.0.0.1")
    }

    @Test("malformed references say what is wrong")
    func malformed() {
        #expect(failure("${HOST") == #""${" is not closed in "${HOST"; close it with "}", or write "$$" for a literal "$""#)
        #expect(failure("${1X}")?.hasPrefix(#""${1X}" does not start with a variable name"#) == true)
        #expect(failure("${HOST:x}") == #""${HOST:x}" is not a valid reference; write ${HOST}, ${HOST:-default} or ${HOST:?message}"#)
    }

    @Test("a whole tree: values interpolated, keys kept, every failure reported with its path")
    func tree() throws {
        let root = try YAMLParser.parse("""
            ${HOST}: ${HOST}
            sinks:
              api: { port: "${API_PORT:-8000}", token: "${TOKEN}" }
              list: [a, "${OTHER}"]
            """, file: "t.yaml")
        let result = EnvironmentInterpolation(environment: env).interpolate(root, file: "t.yaml")
        #expect(result.node.entries?.first?.key == "${HOST}")
        #expect(result.node["${HOST}"]?.scalar?.text == "10.0.0.1")
        #expect(result.node["sinks"]?["api"]?["port"]?.scalar?.text == "9000")
        #expect(result.errors.map(\.description) == [
            "t.yaml:3:44: sinks.api.token: environment variable TOKEN is not set; set it, or give a default with ${TOKEN:-value}",
            "t.yaml:4:13: sinks.list[1]: environment variable OTHER is not set; set it, or give a default with ${OTHER:-value}",
        ])
        #expect(result.failed == [.init(line: 3, column: 44), .init(line: 4, column: 13)])
    }
}

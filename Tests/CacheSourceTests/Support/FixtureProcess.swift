import Foundation

/// `.build/<config>/<name>`, a fixture executable of this package: next to the test bundle, else
/// under the package's `.build`. `nil` when it has not been built.
func fixtureExecutable(_ name: String) -> String? {
    let candidates = [
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name).path,
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/\(name)").path,
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Starts `cache-hammer` with `arguments`; its standard error goes to the test's.
func startHammer(_ arguments: [String]) throws -> Process {
    guard let path = fixtureExecutable("cache-hammer") else {
        throw FixtureMissing(name: "cache-hammer")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    try process.run()
    return process
}

/// Runs `cache-hammer` to the end (a one-shot set, delete or clear) and returns its exit status.
func runHammer(_ arguments: [String]) async throws -> Int32 {
    let process = try startHammer(arguments)
    // Process has no async wait: poll its exit with a deadline rather than block a pool thread.
    _ = await eventually(within: 60) { !process.isRunning }
    process.waitUntilExit()
    return process.terminationStatus
}

struct FixtureMissing: Error, CustomStringConvertible {
    var name: String
    var description: String { "the fixture \(name) is not built; run swift build --build-tests first" }
}

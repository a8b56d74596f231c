import AsyncHTTPClient
import Foundation
import MonitorKitCore
import NIOHTTP1
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `monitord` binary, started the way a user starts it: a config file in a fresh
/// directory, a free port on 127.0.0.1, output captured to files.
final class MonitordProcess: Sendable {
    /// The scratch directory: `monitord.yaml`, `stdout.log`, `stderr.log`, and anything the config
    /// puts there (the cache directory, log files).
    let directory: URL
    /// A free port reserved for the config's HTTP sink (`{{port}}` in the template).
    let port: Int
    let process: Process

    /// The built binary: `$MONITORD_BINARY`, else `.build/debug/monitord` of this checkout.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["MONITORD_BINARY"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.appendingPathComponent(".build/debug/monitord")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// Starts `monitord run -c <dir>/monitord.yaml`. In `config`, `{{port}}` becomes a free port and
    /// `{{dir}}` the scratch directory. With `openFileLimit`, the daemon starts with that many
    /// descriptors as both its soft and hard limit (`ulimit -n`).
    init(config: String, arguments: [String] = ["run"], environment: [String: String] = [:], openFileLimit: Int? = nil) throws {
        directory = try Self.makeScratchDirectory()
        port = try Self.freePort()
        let text = config.replacingOccurrences(of: "{{port}}", with: String(port))
            .replacingOccurrences(of: "{{dir}}", with: directory.path)
        try text.write(to: directory.appendingPathComponent("monitord.yaml"), atomically: true, encoding: .utf8)
        process = try Self.launch(
            arguments + ["-c", directory.appendingPathComponent("monitord.yaml").path],
            in: directory, environment: environment, openFileLimit: openFileLimit)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var stdout: String { (try? String(contentsOf: directory.appendingPathComponent("stdout.log"), encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: directory.appendingPathComponent("stderr.log"), encoding: .utf8)) ?? "" }

    /// Polls `GET /health` until the daemon answers (any status), or fails the wait.
    func waitUntilServing(timeout: Duration = .seconds(30)) async throws {
        try await waitFor("monitord to answer on \(baseURL)/health", timeout: timeout) {
            guard process.isRunning else {
                throw MonitordProcessError("monitord exited with \(process.terminationStatus) before serving:\n\(stderr)")
            }
            return (try? await HTTP.request(.GET, "\(baseURL)/health")) != nil
        }
    }

    /// Sends `signal` and waits for the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, timeout: Duration = .seconds(20)) async throws -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        try await waitFor("monitord to exit after signal \(signal)", timeout: timeout) { !process.isRunning }
        return process.terminationStatus
    }

    /// Runs the binary to completion (for `validate`, `top --once`) and returns its status and output.
    static func runToCompletion(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], timeout: Duration = .seconds(30)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let scratch = try makeScratchDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = try launch(arguments, in: directory ?? scratch, environment: environment, outputDirectory: scratch)
        try await waitFor("monitord \(arguments.joined(separator: " ")) to exit", timeout: timeout) { !process.isRunning }
        let out = (try? String(contentsOf: scratch.appendingPathComponent("stdout.log"), encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: scratch.appendingPathComponent("stderr.log"), encoding: .utf8)) ?? ""
        return (process.terminationStatus, out, err)
    }

    static func makeScratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("monitord-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func launch(
        _ arguments: [String], in directory: URL, environment: [String: String], outputDirectory: URL? = nil,
        openFileLimit: Int? = nil
    ) throws -> Process {
        let binary = Self.binary
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw MonitordProcessError("no monitord binary at \(binary.path): run `swift build` first")
        }
        let outputs = outputDirectory ?? directory
        let out = outputs.appendingPathComponent("stdout.log"), err = outputs.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        if let openFileLimit {
            // The shell sets the limit and execs, so the daemon is still the child whose pid we hold.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFileLimit) && exec \"$0\" \"$@\"", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["MONITORD_CONFIG"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        return process
    }

    /// A port nothing listens on now: bind port 0 on loopback, read it, close.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw MonitordProcessError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw MonitordProcessError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct MonitordProcessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` every 20 ms until it holds, or throws after `timeout` naming what was awaited.
func waitFor(_ what: String, timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    throw MonitordProcessError("timed out after \(timeout) waiting for \(what)")
}

/// A real HTTP client for end-to-end tests.
enum HTTP {
    struct Response: Sendable {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]

        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
        /// The body parsed as JSON, keeping key order.
        func json() throws -> Value { try JSONParser.parse(body) }
    }

    static func request(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Duration = .seconds(10)
    ) async throws -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await HTTPClient.shared.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
        let buffer = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return Response(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(buffer.readableBytesView))
    }
}

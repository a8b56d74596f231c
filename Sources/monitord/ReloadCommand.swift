import ArgumentParser
import AsyncHTTPClient
import Foundation
import MonitorKitCore
import NIOCore
import SinkHTTP
import SinkTUI

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make the running daemon read its config file again, as SIGHUP does, and print what changed.",
        discussion: """
            Asks the API of the config's first http sink (POST /api/reload, with its auth_token), so \
            it reports every change and every error. With --pid it sends SIGHUP to that process \
            instead (what systemd's ExecReload does); the daemon's log and /health then tell the outcome. \
            For an https API, --cacert names the CA that signed its certificate and --cert/--key a \
            client certificate when it has client_ca_file.
            """
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Send SIGHUP to this process id instead of asking the API.")
    var pid: Int32?

    @Option(help: "The API's base URL, e.g. http://10.0.0.5:8000 (default: the config's first http sink).")
    var url: String?

    @OptionGroup var tls: ClientTLSOptions

    func run() async throws {
        if let pid {
            guard kill(pid, SIGHUP) == 0 else {
                printError("monitord reload: cannot signal process \(pid): \(String(cString: strerror(errno)))")
                throw ExitStatus.failure
            }
            print("sent SIGHUP to process \(pid); its log and /health tell how the reload went")
            return
        }
        let config = try loadConfig(options.config)
        let api = config.sinks.lazy.compactMap { $0.config as? HTTPSinkConfig }.first
        guard let base = url ?? api.map(Self.baseURL) else {
            printError("monitord reload: \(config.file) has no http sink to ask; use --url or --pid")
            throw ExitStatus.configInvalid
        }
        var request = HTTPClientRequest(url: base + "/api/reload")
        request.method = .POST
        if let token = api?.authToken { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        var configuration = HTTPClient.Configuration()
        do {
            try tls.files.validate()
            configuration.tlsConfiguration = try tls.files.configuration()
        } catch {
            printError("monitord reload: \(error)")
            throw ExitStatus.failure
        }
        let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        let status: UInt
        let body: ByteBuffer
        do {
            // The address comes from the file, which may have just moved the API: make sure a
            // monitord answers there before the token goes out.
            try await Self.checkMonitord(at: base, client: client, file: config.file, fromFile: url == nil)
            let response = try await client.execute(request, timeout: .seconds(120))
            status = response.status.code
            body = try await response.body.collect(upTo: 1 << 20)
            try? await client.shutdown()
        } catch {
            try? await client.shutdown()
            if let error = error as? NotMonitord {
                printError("monitord reload: \(error.description)")
                throw ExitStatus.failure
            }
            let hint = url == nil
                ? " (the address is the one \(config.file) gives now: if the edit moved the http sink, the daemon still listens where it started; use --url OLD-URL or --pid)"
                : ""
            let text = "\(error)"
            let reason = text.contains("Connection refused") ? "connection refused" : ClientTLSFiles.explain(text) ?? text
            printError("monitord reload: cannot reach \(base): \(reason)\(hint)")
            throw ExitStatus.failure
        }
        let text = String(buffer: body)
        guard let fields = (try? JSONParser.parse(text))?.objectValue, case .list(let changes)? = fields["changes"] else {
            let hint = status == 401 && url == nil
                ? " (the token sent is the auth_token \(config.file) gives now: if the edit changed it, the daemon still has the old one; use --pid)"
                : ""
            printError("monitord reload: \(base) answered \(status): \(text)\(hint)")
            throw ExitStatus.failure
        }
        for change in changes {
            guard let change = change.objectValue else { continue }
            let line = "\(change["action"]?.stringValue ?? "?") \(change["component"]?.stringValue ?? "?")"
            print(change["message"]?.stringValue.map { "\(line): \($0)" } ?? line)
        }
        func strings(_ name: String) -> [String] {
            guard case .list(let items)? = fields[name] else { return [] }
            return items.compactMap(\.stringValue)
        }
        for note in strings("notes") { print("note: \(note)") }
        let errors = strings("errors")
        for error in errors { printError(error) }
        if !errors.isEmpty {
            printError("monitord reload: the reload failed; \(changes.isEmpty ? "the running config is unchanged" : "see above")")
            throw ExitStatus.failure
        }
    }

    /// The URL the sink answers on from this machine (a wildcard host through loopback).
    /// What answered was not the monitord to reload: nothing was sent to it but `GET /health`.
    struct NotMonitord: Error, CustomStringConvertible {
        var description: String
    }

    /// `GET /health` must answer as a monitord does (a `config` object naming its file); when the
    /// address came from the file, that daemon must read a file of the same name.
    static func checkMonitord(at base: String, client: HTTPClient, file: String, fromFile: Bool) async throws {
        let response = try await client.execute(HTTPClientRequest(url: base + "/health"), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let running = (try? JSONParser.parse(String(buffer: body)))?.objectValue?["config"]?.objectValue?["file"]?.stringValue else {
            throw NotMonitord(description: "\(base) answers, but not as monitord (its /health has no config.file); nothing was sent to it. Use --url or --pid to reach the daemon")
        }
        let name = { (path: String) in path.split(separator: "/").last.map(String.init) ?? path }
        if fromFile, name(running) != name(file) {
            throw NotMonitord(description: "the monitord at \(base) reads \(running), not \(file); nothing was sent to it. Use --url or --pid to reach the daemon that reads \(file)")
        }
    }

    static func baseURL(_ sink: HTTPSinkConfig) -> String {
        let host = switch sink.host {
        case "0.0.0.0", "": "127.0.0.1"
        case "::": "[::1]"
        case let host where host.contains(":"): "[\(host)]"
        case let host: host
        }
        return "\(sink.tls == nil ? "http" : "https")://\(host):\(sink.port)"
    }
}

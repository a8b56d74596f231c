import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SinkTUI

/// `monitord top`: the terminal view of a running monitord, over its HTTP API.
struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Watch a running monitord in a full-screen terminal view (like htop).",
        discussion: """
            Reads GET /api/events (live) and /api/{source}/history from the daemon and reconnects by \
            itself. Keys: q quit, r refresh, c clear (asks y/n), arrows/Tab switch source, ? help. \
            NO_COLOR turns colours off. Without a terminal on stdout use --once, which prints one \
            plain-text snapshot for scripts.
            """
    )

    @Option(help: "The monitord HTTP API to watch.")
    var url = "http://127.0.0.1:8000"

    @Option(help: "Bearer token for the API (clear needs it when auth_token is set); default $MONITORD_API_TOKEN.")
    var token: String?

    @Option(help: "The source shown first (default: the cache, or the first source).")
    var source: String?

    @Flag(help: "Print one plain-text snapshot (no escape codes) and exit.")
    var once = false

    @Option(help: "Seconds between redraws when no event arrives.")
    var interval: Double = 1

    @OptionGroup var tls: ClientTLSOptions

    var viewerOptions: TopViewer.Options {
        let environmentToken = ProcessInfo.processInfo.environment["MONITORD_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return TopViewer.Options(
            url: url, token: token ?? environmentToken, source: source, once: once,
            interval: interval.isFinite ? .milliseconds(Int64((interval * 1000).rounded())) : .zero,
            tls: tls.files)
    }

    func validate() throws {
        do {
            try viewerOptions.validate()
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let status = await TopViewer(options: viewerOptions).run()
        if status != 0 { throw ExitCode(status) }
    }
}

/// `--cacert`, `--cert`, `--key`, as curl has them, for an `https://` API.
struct ClientTLSOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The CA certificate (PEM) that signed the API's certificate, for https:// (default: the system's trust store).", valueName: "file"))
    var cacert: String?

    @Option(help: ArgumentHelp("This client's certificate (PEM), for an API with client_ca_file (mutual TLS).", valueName: "file"))
    var cert: String?

    @Option(help: ArgumentHelp("The private key (PEM) of --cert.", valueName: "file"))
    var key: String?

    var files: ClientTLSFiles { ClientTLSFiles(caFile: cacert, certFile: cert, keyFile: key) }
}

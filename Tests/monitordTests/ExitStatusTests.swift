import Foundation
import Testing

/// The exit codes the README documents, command by command (sysexits.h values).
@Suite("exit status")
struct ExitStatusTests {
    @Test("bad command-line usage exits 64 with the reason", arguments: [
        (["run", "--no-such-option"], "Unknown option '--no-such-option'"),
        (["validate", "--no-such-option"], "Unknown option '--no-such-option'"),
        (["top", "--interval", "0"], "--interval must be between 0.1 and 60 seconds"),
        (["top", "--url", "ftp://example.org"], "--url must be an http:// or https:// URL"),
        (["no-such-command"], "Unexpected argument 'no-such-command'"),
    ])
    func usage(arguments: [String], reason: String) async throws {
        let result = try await MonitordProcess.runToCompletion(arguments)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(reason), "\(arguments): \(result.stderr)")
    }

    @Test("top --once against a daemon that is not there exits 1 with one line")
    func unreachableDaemon() async throws {
        let port = try MonitordProcess.freePort()
        let result = try await MonitordProcess.runToCompletion(["top", "--once", "--url", "http://127.0.0.1:\(port)"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("monitord top: cannot read http://127.0.0.1:\(port): "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }

    @Test("top without a terminal exits 1 and says to use --once")
    func topNeedsATerminal() async throws {
        let result = try await MonitordProcess.runToCompletion(["top", "--url", "http://127.0.0.1:9"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("use --once"), "\(result.stderr)")
    }
}

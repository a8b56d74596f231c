import ArgumentParser
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MonitorKitCore

@main
struct Monitord: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitord",
        abstract: "A plugin-based monitoring daemon with a two-tier cache that reports itself.",
        discussion: """
            Config lookup: -c FILE, then $MONITORD_CONFIG, ./monitord.yaml, ./config/monitord.yaml, \
            else the embedded default (`monitord validate --print-default` shows it).
            """,
        version: MonitorKit.version,
        subcommands: [RunCommand.self, ValidateCommand.self, ReloadCommand.self, TopCommand.self, ExportCommand.self, AlertsCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// Before anything else: for the daemon (`run`, the default command), SIGHUP and SIGUSR1 are
    /// ignored from the first instruction of `main`, so a logrotate or a reload that lands while
    /// the process is still starting cannot end it. `run` installs its handlers right after.
    static func main() async {
        let first = CommandLine.arguments.dropFirst().first
        if first == nil || first == "run" || first?.hasPrefix("-") == true {
            signal(SIGHUP, SIG_IGN)
            signal(SIGUSR1, SIG_IGN)
        }
        await main(nil)
    }
}

/// Options every config-reading command shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "The config file (default: see the lookup order above).")
    var config: String?
}

/// Exit codes from sysexits.h, which init systems and scripts understand.
enum ExitStatus {
    static let configInvalid = ExitCode(78)  // EX_CONFIG
    static let noInput = ExitCode(66)  // EX_NOINPUT
    static let failure = ExitCode(1)
}

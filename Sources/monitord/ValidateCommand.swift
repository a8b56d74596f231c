import ArgumentParser
import Foundation
import MonitorKitCore

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a config file and list every error (exit 0 when valid, 78 when not)."
    )

    @OptionGroup var options: ConfigOptions

    @Flag(help: "Print the embedded default config and exit.")
    var printDefault = false

    func run() throws {
        if printDefault {
            print(ConfigSource.embeddedDefault, terminator: "")
            return
        }
        let config = try loadConfig(options.config)
        for warning in config.warnings { printError("warning: \(warning)") }
        print(
            "\(config.file): valid (\(config.sources.count) sources, \(config.sinks.count) sinks"
                + (config.disabled.isEmpty ? ")" : ", disabled: \(config.disabled.joined(separator: ", ")))"))
    }
}

/// Locates, reads and validates the config; prints what is wrong and exits when it cannot.
func loadConfig(_ explicit: String?) throws -> MonitordConfig {
    let environment = ProcessInfo.processInfo.environment
    let source: ConfigSource
    do {
        source = try ConfigSource.locate(explicit: explicit, environment: environment)
    } catch {
        printError(error.description)
        throw ExitStatus.noInput
    }
    do {
        return try ConfigLoader.load(text: source.text, file: source.name, registry: plugins, environment: environment)
    } catch {
        for line in error.errors { printError("\(line)") }
        printError("\(error.errors.count) error\(error.errors.count == 1 ? "" : "s") in \(source.name)")
        throw ExitStatus.configInvalid
    }
}

/// One line on standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

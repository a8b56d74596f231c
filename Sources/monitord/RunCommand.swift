import ArgumentParser
import Logging
import MonitorKitCore
import SinkLog

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon (the default command). SIGINT/SIGTERM stop it gracefully."
    )

    @OptionGroup var options: ConfigOptions

    @Option(help: "Override monitord.log_level: trace, debug, info, warn, error.")
    var logLevel: LogLevel?

    func run() async throws {
        var config = try loadConfig(options.config)
        if let logLevel { config.settings.logLevel = logLevel }
        let logger = bootstrapLogging(config.settings)

        logger.info("monitord \(MonitorKit.version) starting", metadata: ["config": "\(config.file)"])
        raiseOpenFileLimit(logger: logger)
        let runtime: Runtime
        do {
            runtime = try await Runtime.build(config: config, logger: logger)
        } catch {
            printError("monitord: \(error)")
            throw ExitStatus.failure
        }
        for source in runtime.context.sources {
            logger.info("source started", metadata: [
                "source": "\(source.id)", "type": "\(source.type)", "interval": "\(source.interval.humanReadable)",
            ])
        }
        for sink in config.sinks {
            logger.info("sink started", metadata: ["sink": "\(sink.id)", "type": "\(sink.settings.type)"])
        }
        if !config.disabled.isEmpty {
            logger.info("disabled in config", metadata: ["components": "\(config.disabled.joined(separator: ", "))"])
        }
        do {
            try await runtime.run()
        } catch {
            printError("monitord: \(error)")
            throw ExitStatus.failure
        }
        logger.info("monitord stopped")
    }
}

extension LogLevel: ExpressibleByArgument {}

/// Sets up monitord's own logs once, from the config, and returns the root logger.
func bootstrapLogging(_ settings: DaemonSettings) -> Logger {
    let level: Logger.Level = switch settings.logLevel {
    case .trace: .trace
    case .debug: .debug
    case .info: .info
    case .warn: .warning
    case .error: .error
    }
    switch settings.logFormat {
    case .json:
        LoggingSystem.bootstrap { label in ECSLogHandler(label: label, logLevel: level) }
    case .text:
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
    var logger = Logger(label: "monitord")
    logger.logLevel = level
    return logger
}

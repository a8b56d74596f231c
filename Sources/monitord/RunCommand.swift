import ArgumentParser
import Foundation
import Logging
import MonitorKitCore
import SinkLog
import Synchronization

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
        let (logger, sharedLevel) = bootstrapLogging(config.settings)

        logger.info("monitord \(MonitorKit.version) starting", metadata: ["config": "\(config.file)"])
        // SIGHUP (logrotate, an operator, systemd's ExecReload) reads the file again; it never ends
        // the daemon, not even while it starts (the file was just read: such a signal is ignored).
        let started = ReloaderSlot()
        let hangups = SignalListener(SIGHUP) { [logger] in
            guard let reloader = started.reloader else {
                logger.warning("SIGHUP while starting: ignored, the config file was just read")
                return
            }
            Task { await reloader.reload(trigger: "SIGHUP") }
        }
        // SIGUSR1 reopens the log sinks' files (they listen for it); it must not end the daemon either.
        let reopens = SignalListener(SIGUSR1) {}
        defer {
            hangups.cancel()
            reopens.cancel()
        }
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
        runtime.onLogLevelChange { sharedLevel.set($0.loggerLevel) }
        let reloader = Reloader(runtime: runtime, explicit: options.config, logLevel: logLevel, logger: logger)
        runtime.context.onReloadRequest { await reloader.reload(trigger: "POST /api/reload") }
        started.reloader = reloader
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

/// The reloader once the daemon runs, for the SIGHUP handler installed before it does.
final class ReloaderSlot: Sendable {
    private let slot = Mutex<Reloader?>(nil)
    var reloader: Reloader? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}

/// Sets up monitord's own logs once, from the config, and returns the root logger and the
/// level a reload changes.
func bootstrapLogging(_ settings: DaemonSettings) -> (Logger, SharedLogLevel) {
    let shared = SharedLogLevel(settings.logLevel.loggerLevel)
    switch settings.logFormat {
    case .json:
        LoggingSystem.bootstrap { label in
            SharedLevelHandler(inner: ECSLogHandler(label: label, logLevel: .trace), shared: shared)
        }
    case .text:
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .trace
            return SharedLevelHandler(inner: handler, shared: shared)
        }
    }
    return (Logger(label: "monitord"), shared)
}

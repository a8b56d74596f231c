import Logging
import MonitorKitCore

/// The running `type: log` sink: filters events, renders ECS lines and writes them.
public final class LogSink: Sink {
    /// The component id from `monitord.yaml`.
    public let id: String
    let config: LogSinkConfig
    let output: LogOutput
    private let logger: Logger

    init(id: String, config: LogSinkConfig, logger: Logger) throws(LogOutputError) {
        self.id = id
        self.config = config
        self.logger = logger
        output = try LogOutput(target: config.path == "-" ? .standardOutput : .file(config.path))
    }

    /// Writes one line per admitted event until the subscription ends.
    public func run(events: Subscription) async throws {
        let output = output
        let logger = logger
        let path = config.path
        let hangups = path == "-" ? nil : HangupListener { signal in
            do {
                try output.reopen()
                logger.info("log file reopened after \(signal)", metadata: ["path": "\(path)"])
            } catch {
                logger.error("log file not reopened after \(signal): \(error)")
            }
        }
        defer {
            hangups?.cancel()
            output.close()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [config] in
                // Lines wait at most one flush interval in memory, even when events stop coming.
                while (try? await Task.sleep(for: config.flushInterval)) != nil {
                    output.flush()
                }
            }
            await consume(events)
            group.cancelAll()
        }
        reportWriteErrors()
    }

    /// Writes every event of the subscription that passes the filters, until it ends.
    func consume(_ events: Subscription) async {
        var filter = LogFilter(config: config)
        var renderer = ECSLineRenderer(metricFields: config.fields)
        var line: [UInt8] = []
        line.reserveCapacity(2048)
        var reported = 0
        for await event in events {
            guard let level = filter.admit(event) else { continue }
            line.removeAll(keepingCapacity: true)
            renderer.render(event, level: level, into: &line)
            let failures = output.write(line)
            if failures > reported {
                reported = failures
                logger.error("log sink \(id) could not write: \(output.errors.last ?? "unknown error")")
            }
        }
        output.flush()
    }

    private func reportWriteErrors() {
        let errors = output.errors
        if errors.count > 0 {
            logger.warning("log sink \(id) lost \(errors.count) write batches; last error: \(errors.last ?? "unknown")")
        }
    }
}

import Dispatch
import Foundation
import Logging
import MonitorKitCore

/// Reads the config file again, the way the daemon found it at start, and hands a valid one to
/// the runtime. A file that fails validation changes nothing: every error is logged with its
/// position and kept for `/health` and `/metrics`.
struct Reloader: Sendable {
    let runtime: Runtime
    /// `-c`, as given at start.
    let explicit: String?
    /// `--log-level`, which outranks the file on every reload too.
    let logLevel: LogLevel?
    let logger: Logger

    func reload(trigger: String) async -> ReloadOutcome {
        let environment = ProcessInfo.processInfo.environment
        var outcome: ReloadOutcome
        do {
            let source = try ConfigSource.locate(explicit: explicit, environment: environment)
            logger.info("reloading the config (\(trigger))", metadata: ["config": "\(source.name)"])
            do {
                var config = try ConfigLoader.load(text: source.text, file: source.name, registry: plugins, environment: environment)
                if let logLevel { config.settings.logLevel = logLevel }
                outcome = await runtime.reload(to: config)
            } catch {
                outcome = ReloadOutcome(file: source.name, errors: error.errors.map { "\($0)" })
            }
        } catch {
            outcome = ReloadOutcome(file: runtime.config.file, errors: [error.description])
        }
        runtime.context.recordConfigLoad(outcome)
        report(outcome)
        return outcome
    }

    private func report(_ outcome: ReloadOutcome) {
        for error in outcome.errors { logger.error("\(error)") }
        for note in outcome.notes { logger.warning("\(note)") }
        var summary: [String: [String]] = [:]
        for change in outcome.changes { summary[change.action.rawValue, default: []].append(change.component) }
        let text = ["added", "removed", "rebuilt", "updated", "kept", "failed"].compactMap { action in
            summary[action].map { "\(action) \($0.joined(separator: ", "))" }
        }.joined(separator: "; ")
        if outcome.succeeded {
            logger.info("config reloaded from \(outcome.file): \(text.isEmpty ? "nothing to do" : text)")
        } else if outcome.changes.isEmpty {
            logger.error("config not reloaded: \(outcome.errors.count) error\(outcome.errors.count == 1 ? "" : "s") in \(outcome.file); the running config is unchanged")
        } else {
            logger.error("config reloaded from \(outcome.file) in part: \(text)")
        }
    }
}

/// Calls a handler on every delivery of a signal, which then no longer ends the process.
final class SignalListener {
    private let source: any DispatchSourceSignal

    init(_ signal: Int32, handler: @escaping @Sendable () -> Void) {
        #if canImport(Darwin)
        Foundation.signal(signal, SIG_IGN)
        #endif
        source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
        source.setEventHandler(handler: handler)
        source.resume()
    }

    func cancel() { source.cancel() }
}

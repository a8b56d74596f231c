import ArgumentParser
import MonitorKitCore
import SinkAlert

/// `monitord export …`: monitord's own config in the formats of the tools next to it.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print parts of the config for other tools.",
        subcommands: [PrometheusRulesCommand.self]
    )
}

/// `monitord export prometheus-rules`: the configured alert rules as a Prometheus rule file.
struct PrometheusRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prometheus-rules",
        abstract: "Print the alert rules as a Prometheus rule file (exit 78 when a rule cannot be written).",
        discussion: """
            Each rule watches the /metrics series its metric is exported as, with the same threshold, \
            for, keep_firing_for, guards, labels and summary. Hysteresis and min_samples have no \
            Prometheus equivalent and are noted as comments. Check the output with promtool check rules.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try loadConfig(options.config)
        let sinks = config.sinks.compactMap { sink in
            (sink.config as? AlertSinkConfig).map { (id: sink.id, rules: $0.rules) }
        }
        do {
            print(try PrometheusRules.render(sinks: sinks, metrics: config.declaredMetrics, file: config.file), terminator: "")
        } catch {
            printError(error.description)
            throw ExitStatus.configInvalid
        }
    }
}

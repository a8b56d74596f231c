import ArgumentParser
import Foundation
import MonitorKitCore
import SinkAlert

/// `monitord alerts …`: the alerting path, from the command line.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Work with the configured alerts.",
        subcommands: [AlertsTestCommand.self]
    )
}

/// `monitord alerts test`: a dry run of the paging path.
struct AlertsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test alert through every configured notifier and say, per notifier, whether it was delivered.",
        discussion: """
            The alert is named \(NotifierDryRun.alertname), has severity info and the label monitord_test="true", \
            says it is not an incident, and ends by itself after 5 minutes. Each notifier gets one POST, no retry. \
            Exit 0 when every notifier delivered it, 1 when one did not or none is configured, 78 for an invalid config.
            """
    )

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try loadConfig(options.config)
        let sinks = config.sinks.compactMap { sink in (sink.config as? AlertSinkConfig).map { (id: sink.id, config: $0) } }
        var results: [(sink: String, result: NotifierDryRun.Result)] = []
        for sink in sinks {
            for result in await NotifierDryRun.run(sinkID: sink.id, config: sink.config) { results.append((sink.id, result)) }
        }
        guard !results.isEmpty else {
            printError("\(config.file): no notifiers to test: add notifiers: to an alerts sink (see docs/alerts.md)")
            throw ExitStatus.failure
        }
        for (sink, result) in results {
            let time = String(format: "%.0f ms", result.milliseconds)
            print("\(sink)/\(result.notifier) (\(result.kind) \(result.endpoint)): \(result.delivered ? "delivered" : "FAILED"), \(result.outcome) in \(time)")
        }
        let failed = results.filter { !$0.result.delivered }.count
        print(failed == 0 ? "all \(results.count) notifier(s) delivered the test alert" : "\(failed) of \(results.count) notifier(s) did not deliver the test alert")
        if failed > 0 { throw ExitStatus.failure }
    }
}

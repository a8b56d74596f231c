import Synchronization

/// One source's health from its two reporters: the scheduler (how its samples go) and the
/// source itself (a ``SourceCondition`` fault found while serving). A fault wins while it lasts;
/// once stopped, the source stays `stopped`.
final class SourceHealth: Sendable {
    let id: String
    let type: String
    /// Where the source reports faults; a new scheduler around the same source observes it anew.
    let condition: SourceCondition
    private let context: RuntimeContext
    private let reports = Mutex<(sampled: HealthState, message: String?, fault: String?, retired: Bool)>((.starting, nil, nil, false))

    init(id: String, type: String, context: RuntimeContext, condition: SourceCondition) {
        self.id = id
        self.type = type
        self.context = context
        self.condition = condition
        context.setStatus(id, role: .source, type: type, state: .starting)
        condition.observe { [weak self] fault in
            self?.update { $0.fault = fault }
        }
    }

    /// What the scheduler found on its last attempt.
    func sampled(_ state: HealthState, message: String?) {
        update { reports in
            reports.sampled = state
            reports.message = message
        }
    }

    /// The source's service has ended.
    func stopped() {
        update { $0.sampled = .stopped }
    }

    /// A reload replaced the source: what the old one still reports is not its health.
    func retire() {
        reports.withLock { $0.retired = true }
    }

    private func update(_ change: (inout (sampled: HealthState, message: String?, fault: String?, retired: Bool)) -> Void) {
        // Recorded under the lock, so the runtime's status follows the reports in order.
        reports.withLock { reports in
            change(&reports)
            guard !reports.retired else { return }
            if reports.sampled != .stopped, let fault = reports.fault {
                context.setStatus(id, role: .source, type: type, state: .failing, message: fault)
            } else {
                context.setStatus(id, role: .source, type: type, state: reports.sampled, message: reports.message)
            }
        }
    }
}

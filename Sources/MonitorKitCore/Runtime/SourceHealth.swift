import Synchronization

/// One source's health from its two reporters: the scheduler (how its samples go) and the
/// source itself (a ``SourceCondition`` fault found while serving). A fault wins while it lasts;
/// once stopped, the source stays `stopped`.
final class SourceHealth: Sendable {
    let id: String
    let type: String
    private let context: RuntimeContext
    private let reports = Mutex<(sampled: HealthState, message: String?, fault: String?)>((.starting, nil, nil))

    init(id: String, type: String, context: RuntimeContext, condition: SourceCondition) {
        self.id = id
        self.type = type
        self.context = context
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

    private func update(_ change: (inout (sampled: HealthState, message: String?, fault: String?)) -> Void) {
        // Recorded under the lock, so the runtime's status follows the reports in order.
        reports.withLock { reports in
            change(&reports)
            if reports.sampled != .stopped, let fault = reports.fault {
                context.setStatus(id, role: .source, type: type, state: .failing, message: fault)
            } else {
                context.setStatus(id, role: .source, type: type, state: reports.sampled, message: reports.message)
            }
        }
    }
}

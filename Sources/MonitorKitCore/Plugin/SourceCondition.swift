import Synchronization

/// What a source says about its own health between samples: a fault found while serving (a
/// cache directory that can no longer be written) keeps the source `failing` in health until
/// the source clears it, whatever its samples say.
///
/// The runtime hands one to each source it builds (``SourceBuildContext/condition``) and reads
/// it; a source outside a runtime may report into one that nobody reads.
public final class SourceCondition: Sendable {
    private let state = Mutex<(fault: String?, observer: (@Sendable (String?) -> Void)?)>((nil, nil))

    public init() {}

    /// The fault being reported, or `nil` while the source reports none.
    public var fault: String? { state.withLock { $0.fault } }

    /// Reports a fault: the source is `failing` with `message` until ``clear()``.
    public func fail(_ message: String) {
        update(message)
    }

    /// Withdraws the fault, if any: health goes back to what the source's samples say.
    public func clear() {
        update(nil)
    }

    /// Calls `observer` on every change of the fault from now on, in order; it must not call
    /// back into this condition.
    func observe(_ observer: @escaping @Sendable (String?) -> Void) {
        state.withLock { $0.observer = observer }
    }

    private func update(_ fault: String?) {
        // The observer runs under the lock, so it sees changes in the order they happened.
        state.withLock { state in
            guard state.fault != fault else { return }
            state.fault = fault
            state.observer?(fault)
        }
    }
}

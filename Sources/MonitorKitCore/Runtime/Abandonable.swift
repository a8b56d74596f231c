import Synchronization

/// Runs `operation` in its own task and returns its result, or throws `CancellationError` as soon
/// as the calling task is cancelled, even if `operation` ignores cancellation.
///
/// ServiceGroup stops the process with a fatal error when a service outlives its cancellation
/// deadline; a plugin that ignores cancellation must not turn a clean shutdown into a crash, so
/// the runtime leaves such work behind (the process is exiting) instead of waiting for it.
func abandoningOnCancel<T: Sendable>(_ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let task = Task { try await operation() }
    let box = ResumeOnce<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            box.set(continuation)
            Task {
                box.resume(with: await task.result)
            }
        }
    } onCancel: {
        task.cancel()
        box.resume(with: .failure(CancellationError()))
    }
}

/// A continuation resumed at most once, by whichever of two racers comes first.
private final class ResumeOnce<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var done = false
    }

    private let state = Mutex(State())

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { s -> Result<T, any Error>? in
            if let early = s.early { return early }
            s.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func resume(with result: Result<T, any Error>) {
        let continuation = state.withLock { s -> CheckedContinuation<T, any Error>? in
            guard !s.done else { return nil }
            s.done = true
            guard let continuation = s.continuation else {
                s.early = result
                return nil
            }
            s.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
    }
}

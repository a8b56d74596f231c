import Synchronization

/// Serialises the file work on one key: a set, delete or disk read of a key holds its stripe
/// while it touches the file and then updates the shared state, so two writers of one key (or a
/// writer and a promoting reader) cannot leave memory and disk disagreeing. Different keys
/// almost always take different stripes, and memory hits take none.
///
/// Lock order: a stripe, then the state lock; never a stripe while holding the state lock, and
/// never two stripes at once. Nothing holds a stripe for longer than one key's file work: a
/// clear or sweep takes each key's stripe in turn, never all of them.
struct KeyStripes: Sendable {
    final class Stripe: Sendable {
        let lock = Mutex<Void>(())
    }

    private let stripes: [Stripe] = (0..<64).map { _ in Stripe() }

    /// Runs `body` holding the stripe of `digest`.
    func withLock<R: Sendable, E: Error>(_ digest: EntryDigest, _ body: () throws(E) -> R) throws(E) -> R {
        let stripe = stripes[Int(truncatingIfNeeded: digest.w1 & 63)]
        return try stripe.lock.withLock { _ throws(E) -> R in try body() }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Survives another process truncating `.generations` under a live mapping. Touching a page of a
/// shared mapping past the end of its file raises SIGBUS, which would kill the daemon. A handler
/// for faults inside a table's mapping replaces the mapping with private memory whose epoch is
/// ``GenerationTable/untrusted``, so the faulting access completes and from then on every memory
/// hit of that cache reads its file (correct, at disk speed) instead of trusting a counter no
/// other process can bump. A fault anywhere else still ends the process as before.
extension GenerationTable {
    /// The epoch of a table that can no longer see other processes' bumps: no stamp is current.
    static let untrusted = UInt64.max

    /// The base addresses of live shared mappings (0: a free slot); read by the signal handler,
    /// so atomics only, no locks.
    // nonisolated(unsafe): the pointer is set once and never changes; the memory it points to is
    // read and written only through `Atomic` operations, from any thread and the signal handler.
    fileprivate nonisolated(unsafe) static let mappings = UnsafeMutablePointer<Atomic<UInt>>.allocate(capacity: mappingSlots)
    fileprivate static let mappingSlots = 1024
    private static let installed = Mutex(false)

    /// Records a shared mapping so a fault in it is survived; installs the handler once.
    static func guardMapping(_ base: UnsafeMutableRawPointer) {
        installed.withLock { done in
            guard !done else { return }
            for slot in 0..<mappingSlots { (mappings + slot).initialize(to: Atomic(0)) }
            var action = sigaction()
            action.__sigaction_handler.sa_sigaction = tableFaultHandler
            action.sa_flags = SA_SIGINFO | SA_NODEFER
            sigemptyset(&action.sa_mask)
            sigaction(SIGBUS, &action, nil)
            done = true
        }
        let address = UInt(bitPattern: base)
        for slot in 0..<mappingSlots where mappings[slot].compareExchange(expected: 0, desired: address, ordering: .sequentiallyConsistent).exchanged {
            return
        }
    }

    /// Forgets a mapping before it is unmapped.
    static func unguardMapping(_ base: UnsafeMutableRawPointer) {
        let address = UInt(bitPattern: base)
        for slot in 0..<mappingSlots where mappings[slot].compareExchange(expected: address, desired: 0, ordering: .sequentiallyConsistent).exchanged {
            return
        }
    }
}

/// SIGBUS: inside a table's mapping, swap in private zero pages marked untrusted and return (the
/// access is retried and succeeds); elsewhere, restore the default action and return, so the
/// retried access ends the process with SIGBUS as it would have.
private func tableFaultHandler(_ signal: Int32, _ info: UnsafeMutablePointer<siginfo_t>?, _ context: UnsafeMutableRawPointer?) {
    let fault = info.map { UInt(bitPattern: $0.pointee._sifields._sigfault.si_addr) } ?? 0
    let length = UInt(GenerationTable.fileLength)
    for slot in 0..<GenerationTable.mappingSlots {
        let base = GenerationTable.mappings[slot].load(ordering: .relaxed)
        guard base != 0, fault >= base, fault < base + length, let pointer = UnsafeMutableRawPointer(bitPattern: base) else { continue }
        let replaced = mmap(pointer, Int(length), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
        if replaced == pointer {
            (pointer + GenerationTable.epochOffset).storeBytes(of: GenerationTable.untrusted, as: UInt64.self)
            return
        }
    }
    var action = sigaction()
    action.__sigaction_handler.sa_handler = SIG_DFL
    sigaction(SIGBUS, &action, nil)
}

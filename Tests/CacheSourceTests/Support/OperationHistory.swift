/// The operations the `cache-hammer` processes logged, and the check that no read was stale.
///
/// Times are CLOCK_MONOTONIC nanoseconds, one clock for every process on the machine. Each
/// operation spans [start, end]: it took effect at some instant inside. A read that returned the
/// value of write W is stale when some other change X of the key (a write, delete or clear, by
/// either process) started after W ended and ended before the read started: X certainly came
/// after W, and certainly before the read. A read that missed is wrong when some acknowledged write
/// ended before the read started and no delete or clear could have come after it (none ended
/// after that write's start and started before the read's end). A read of a value nobody wrote,
/// or of one whose write began after the read ended, is wrong too.
struct OperationHistory {
    struct Change {
        var start: UInt64
        var end: UInt64
        var isRemoval: Bool
    }

    struct Read {
        var key: String
        var start: UInt64
        var end: UInt64
        /// `"<writer>:<sequence>"`, `"-"` for a miss, `"?"` for bytes that match no write.
        var value: String
        /// `memory`, `disk`, or `-` for a miss.
        var tier: String
        var process: Int
    }

    private(set) var changes: [String: [Change]] = [:]
    private(set) var clears: [Change] = []
    private(set) var writes: [String: (key: String, start: UInt64, end: UInt64)] = [:]
    /// Writes that failed: they may or may not have landed.
    private(set) var unacknowledged: [String: (key: String, start: UInt64)] = [:]
    private(set) var reads: [Read] = []
    private(set) var errors: [String] = []
    private(set) var counts: [Character: Int] = [:]

    /// Adds one process's log (the lines `cache-hammer hammer` writes).
    mutating func add(log: String, process: Int) {
        for line in log.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 6).map(String.init)
            guard parts.count >= 4, let kind = parts[0].first, let start = UInt64(parts[2]), let end = UInt64(parts[3]) else {
                errors.append("unreadable log line: \(line)")
                continue
            }
            counts[kind, default: 0] += 1
            let key = parts[1]
            switch kind {
            case "G" where parts.count >= 6:
                reads.append(Read(key: key, start: start, end: end, value: parts[4], tier: parts[5], process: process))
            case "S" where parts.count >= 5:
                writes[parts[4]] = (key, start, end)
                changes[key, default: []].append(Change(start: start, end: end, isRemoval: false))
            case "F" where parts.count >= 5:
                unacknowledged[parts[4]] = (key, start)
                errors.append("process \(process): \(line)")
            case "D":
                changes[key, default: []].append(Change(start: start, end: end, isRemoval: true))
            case "C":
                clears.append(Change(start: start, end: end, isRemoval: true))
            default:
                errors.append("process \(process): \(line)")
            }
        }
    }

    /// Every read that broke the rule, described.
    func staleReads() -> [String] {
        var problems: [String] = []
        var indexes: [String: KeyIndex] = [:]
        for read in reads {
            let index = indexes[read.key] ?? KeyIndex(changes: (changes[read.key] ?? []) + clears)
            indexes[read.key] = index
            let at = "process \(read.process) read \(read.key) at [\(read.start), \(read.end)]"
            if read.value == "-" {
                guard let lastWrite = index.latestWriteStart(endingBefore: read.start) else { continue }
                if !index.hasRemoval(endingAfter: lastWrite, startingBefore: read.end) {
                    problems.append("\(at): a miss, but the write started at \(lastWrite) was acknowledged before and nothing removed it")
                }
                continue
            }
            guard let write = writes[read.value] ?? unacknowledged[read.value].map({ ($0.key, $0.start, UInt64.max) }) else {
                problems.append("\(at): got \(read.value), which no process wrote")
                continue
            }
            if write.key != read.key {
                problems.append("\(at): got \(read.value), written under \(write.key)")
            } else if write.start > read.end {
                problems.append("\(at): got \(read.value), whose write began after the read ended")
            } else if write.end != .max, let later = index.latestChangeStart(endingBefore: read.start), later > write.end {
                problems.append("\(at): got \(read.value) (write ended \(write.end)), but a change started at \(later) and was done before the read")
            }
        }
        return problems
    }

    /// One key's changes, sorted for the questions ``staleReads()`` asks.
    private struct KeyIndex {
        /// Changes by end, with the running maximum start (of all changes, and of writes only).
        var ends: [UInt64] = []
        var maxStart: [UInt64] = []
        var maxWriteStart: [UInt64?] = []
        /// Removals by start, with the running maximum end.
        var removalStarts: [UInt64] = []
        var removalMaxEnd: [UInt64] = []

        init(changes: [Change]) {
            var best: UInt64 = 0
            var bestWrite: UInt64?
            for change in changes.sorted(by: { $0.end < $1.end }) {
                best = max(best, change.start)
                if !change.isRemoval { bestWrite = max(bestWrite ?? 0, change.start) }
                ends.append(change.end)
                maxStart.append(best)
                maxWriteStart.append(bestWrite)
            }
            var bestEnd: UInt64 = 0
            for removal in changes.filter(\.isRemoval).sorted(by: { $0.start < $1.start }) {
                bestEnd = max(bestEnd, removal.end)
                removalStarts.append(removal.start)
                removalMaxEnd.append(bestEnd)
            }
        }

        /// The number of elements of `sorted` below `bound`.
        private static func countBelow(_ sorted: [UInt64], _ bound: UInt64) -> Int {
            var low = 0, high = sorted.count
            while low < high {
                let mid = (low + high) / 2
                if sorted[mid] < bound { low = mid + 1 } else { high = mid }
            }
            return low
        }

        func latestChangeStart(endingBefore time: UInt64) -> UInt64? {
            let n = Self.countBelow(ends, time)
            return n == 0 ? nil : maxStart[n - 1]
        }

        func latestWriteStart(endingBefore time: UInt64) -> UInt64? {
            let n = Self.countBelow(ends, time)
            return n == 0 ? nil : maxWriteStart[n - 1]
        }

        func hasRemoval(endingAfter time: UInt64, startingBefore bound: UInt64) -> Bool {
            let n = Self.countBelow(removalStarts, bound)
            return n > 0 && removalMaxEnd[n - 1] > time
        }
    }
}

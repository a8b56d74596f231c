/// Hits and misses over the last `window`, for `recent_hit_rate`: a ring of time buckets
/// (one per second for windows up to five minutes, wider beyond), so recording is O(1) and the
/// rate is a sum over a fixed number of buckets however many entries the cache holds.
struct RecentWindow {
    private static let maxBuckets = 300

    private let bucketSeconds: Double
    /// The bucket and ring index of the last record, so most records skip the modulo.
    private var currentBucket = Int.min
    private var currentIndex = 0
    private var stamps: [Int]
    private var hits: [Int]
    private var misses: [Int]

    init(window: Duration) {
        let seconds = max(1, window.seconds)
        let buckets = min(Self.maxBuckets, max(1, Int(seconds.rounded(.up))))
        bucketSeconds = seconds / Double(buckets)
        stamps = Array(repeating: Int.min, count: buckets)
        hits = Array(repeating: 0, count: buckets)
        misses = Array(repeating: 0, count: buckets)
    }

    @inline(__always)
    mutating func record(hit: Bool, now: Double) {
        let bucket = Int((now / bucketSeconds).rounded(.down))
        if bucket != currentBucket {
            currentBucket = bucket
            currentIndex = Self.index(bucket, stamps.count)
            if stamps[currentIndex] != bucket {
                stamps[currentIndex] = bucket
                hits[currentIndex] = 0
                misses[currentIndex] = 0
            }
        }
        if hit { hits[currentIndex] += 1 } else { misses[currentIndex] += 1 }
    }

    /// Hits over requests in the window; exactly 0.0 when there were none.
    func rate(now: Double) -> Double {
        let current = Int((now / bucketSeconds).rounded(.down))
        var hitSum = 0
        var total = 0
        for index in stamps.indices where stamps[index] > current - stamps.count && stamps[index] <= current {
            hitSum += hits[index]
            total += hits[index] + misses[index]
        }
        return total == 0 ? 0.0 : Double(hitSum) / Double(total)
    }

    mutating func reset() {
        currentBucket = Int.min
        for index in stamps.indices { stamps[index] = Int.min }
    }

    @inline(__always)
    private static func index(_ bucket: Int, _ count: Int) -> Int {
        let r = bucket % count
        return r < 0 ? r + count : r
    }
}

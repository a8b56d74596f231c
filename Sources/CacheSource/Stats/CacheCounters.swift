/// The event counts of a cache: since start or the last reset (``CacheState/counters``), and
/// lifetime (``CacheState/lifetimeBase`` + counters), which `/metrics` needs to stay monotonic.
struct CacheCounters: Equatable {
    var memoryHits = 0
    var diskHits = 0
    var misses = 0
    var expired = 0
    var evictions = 0
    var diskEvictions = 0
    var sets = 0
    var deletes = 0
    var corrupt = 0
    var diskErrors = 0

    static func + (a: CacheCounters, b: CacheCounters) -> CacheCounters {
        CacheCounters(
            memoryHits: a.memoryHits + b.memoryHits, diskHits: a.diskHits + b.diskHits, misses: a.misses + b.misses,
            expired: a.expired + b.expired, evictions: a.evictions + b.evictions,
            diskEvictions: a.diskEvictions + b.diskEvictions, sets: a.sets + b.sets, deletes: a.deletes + b.deletes,
            corrupt: a.corrupt + b.corrupt, diskErrors: a.diskErrors + b.diskErrors)
    }
}

// The child process of the cache crash test: writes entries in a loop until it is killed.
//
//     cache-writer <directory> [keys]
//     cache-writer <directory> --fill <count>
//
// Each value is derived from its key alone (see `value(for:)`, repeated in the test), so whatever
// a later manager reads back can be checked byte for byte. Values are 512 B to 64 KiB, so a kill
// often lands in the middle of a write.
//
// With `--fill`, it writes `fill-0` … `fill-<count - 1>` (64-byte values, no TTL) from one thread
// per core and exits: the quick way for a test to give a daemon a big cache before it starts.
import CacheSource
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func value(for key: String) -> [UInt8] {
    var seed: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in key.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let length = 512 + Int(seed % 65536)
    var out: [UInt8] = []
    out.reserveCapacity(length)
    var x = seed | 1
    for _ in 0..<length {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        out.append(UInt8(truncatingIfNeeded: x))
    }
    return out
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: cache-writer <directory> [keys]")
    exit(64)
}
if arguments.count >= 4, arguments[2] == "--fill", let count = Int(arguments[3]) {
    do {
        let cache = try CacheManager(directory: arguments[1], maxMemoryItems: 0, defaultTTL: .zero, maxDiskBytes: 0)
        let threads = 4
        let failed = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            let value = [UInt8](repeating: 0x76, count: 64)
            for index in stride(from: thread, to: count, by: threads) {
                do { try cache.set("fill-\(index)", value) } catch { failed.add(1, ordering: .relaxed) }
            }
        }
        let failures = failed.load(ordering: .relaxed)
        print("cache-writer: wrote \(count - failures) entries, \(failures) failed")
        exit(failures == 0 ? 0 : 1)
    } catch {
        print("cache-writer: \(error)")
        exit(1)
    }
}
let keys = arguments.count >= 3 ? Int(arguments[2]) ?? 2000 : 2000
do {
    let cache = try CacheManager(directory: arguments[1], maxMemoryItems: 50, defaultTTL: .zero)
    var round = 0
    while true {
        for index in 0..<keys {
            let key = "entry-\(index)"
            try cache.set(key, value(for: key), metadata: ["round": String(round)])
        }
        round += 1
    }
} catch {
    print("cache-writer: \(error)")
    exit(1)
}

// The child process of the cache crash test: writes entries in a loop until it is killed.
//
//     cache-writer <directory> [keys]
//
// Each value is derived from its key alone (see `value(for:)`, repeated in the test), so whatever
// a later manager reads back can be checked byte for byte. Values are 512 B to 64 KiB, so a kill
// often lands in the middle of a write.
import CacheSource
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

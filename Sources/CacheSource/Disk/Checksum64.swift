/// XXH64 (xxHash, 64-bit): the entry-file checksum.
///
/// Chosen over SHA-256 because it runs at memory speed, so verifying a 4 KiB value on every disk
/// read costs well under a microsecond; it detects torn and bit-flipped files, which is all the
/// format needs (the file name, not the checksum, carries the SHA-256 of the key).
enum Checksum64 {
    private static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The XXH64 digest of `bytes` with `seed`. Chaining (`hash(b, seed: hash(a))`) covers two
    /// buffers without copying them together.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return avalanche(seed &+ p5) }
        var offset = 0
        var h: UInt64
        if count >= 32 {
            var v1 = seed &+ p1 &+ p2
            var v2 = seed &+ p2
            var v3 = seed
            var v4 = seed &- p1
            let limit = count - 32
            while offset <= limit {
                v1 = round(v1, load(base, offset))
                v2 = round(v2, load(base, offset + 8))
                v3 = round(v3, load(base, offset + 16))
                v4 = round(v4, load(base, offset + 24))
                offset += 32
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
            h = merge(h, v1)
            h = merge(h, v2)
            h = merge(h, v3)
            h = merge(h, v4)
        } else {
            h = seed &+ p5
        }
        h &+= UInt64(truncatingIfNeeded: count)
        return finish(h, from: base + offset, remaining: count - offset)
    }

    /// XXH64 over bytes that arrive in pieces (a streamed value): ``update(_:)`` with each
    /// piece, then ``finish()``, equals ``hash(_:seed:)`` of them all together.
    struct Hasher {
        private var v1, v2, v3, v4: UInt64
        private let seed: UInt64
        /// Bytes not yet folded in (fewer than 32), and how many.
        private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        private var pendingCount = 0
        private(set) var count = 0

        init(seed: UInt64 = 0) {
            self.seed = seed
            v1 = seed &+ Checksum64.p1 &+ Checksum64.p2
            v2 = seed &+ Checksum64.p2
            v3 = seed
            v4 = seed &- Checksum64.p1
        }

        mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard var base = bytes.baseAddress, bytes.count > 0 else { return }
            var left = bytes.count
            count += left
            if pendingCount > 0 {
                let take = min(32 - pendingCount, left)
                let filled = pendingCount
                withUnsafeMutableBytes(of: &pending) { ($0.baseAddress! + filled).copyMemory(from: base, byteCount: take) }
                pendingCount += take
                base += take
                left -= take
                guard pendingCount == 32 else { return }
                withUnsafeBytes(of: pending) { stripe($0.baseAddress!) }
                pendingCount = 0
            }
            while left >= 32 {
                stripe(base)
                base += 32
                left -= 32
            }
            if left > 0 {
                withUnsafeMutableBytes(of: &pending) { $0.baseAddress!.copyMemory(from: base, byteCount: left) }
                pendingCount = left
            }
        }

        @inline(__always)
        private mutating func stripe(_ base: UnsafeRawPointer) {
            v1 = Checksum64.round(v1, Checksum64.load(base, 0))
            v2 = Checksum64.round(v2, Checksum64.load(base, 8))
            v3 = Checksum64.round(v3, Checksum64.load(base, 16))
            v4 = Checksum64.round(v4, Checksum64.load(base, 24))
        }

        func finish() -> UInt64 {
            var h: UInt64
            if count >= 32 {
                h = Checksum64.rotl(v1, 1) &+ Checksum64.rotl(v2, 7) &+ Checksum64.rotl(v3, 12) &+ Checksum64.rotl(v4, 18)
                h = Checksum64.merge(h, v1)
                h = Checksum64.merge(h, v2)
                h = Checksum64.merge(h, v3)
                h = Checksum64.merge(h, v4)
            } else {
                h = seed &+ Checksum64.p5
            }
            h &+= UInt64(truncatingIfNeeded: count)
            return withUnsafeBytes(of: pending) { Checksum64.finish(h, from: $0.baseAddress!, remaining: pendingCount) }
        }
    }

    /// The XXH64 digest of an array's bytes.
    static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    @inline(__always)
    private static func finish(_ start: UInt64, from pointer: UnsafeRawPointer, remaining: Int) -> UInt64 {
        var h = start
        var offset = 0
        var left = remaining
        while left >= 8 {
            h ^= round(0, load(pointer, offset))
            h = rotl(h, 27) &* p1 &+ p4
            offset += 8
            left -= 8
        }
        if left >= 4 {
            let word = UInt64(pointer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
            h ^= word &* p1
            h = rotl(h, 23) &* p2 &+ p3
            offset += 4
            left -= 4
        }
        while left > 0 {
            h ^= UInt64(pointer.load(fromByteOffset: offset, as: UInt8.self)) &* p5
            h = rotl(h, 11) &* p1
            offset += 1
            left -= 1
        }
        return avalanche(h)
    }

    @inline(__always)
    private static func avalanche(_ start: UInt64) -> UInt64 {
        var h = start
        h ^= h >> 33
        h &*= p2
        h ^= h >> 29
        h &*= p3
        h ^= h >> 32
        return h
    }

    @inline(__always)
    private static func load(_ base: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    @inline(__always)
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always)
    private static func merge(_ acc: UInt64, _ value: UInt64) -> UInt64 {
        (acc ^ round(0, value)) &* p1 &+ p4
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 {
        (x << r) | (x >> (64 - r))
    }
}

/// The 64-bit FNV-1a hash: small and stable (the same in every run and on every machine, unlike
/// `Hasher`), for fingerprints and content tags. Not for anything an attacker may want to collide.
///
/// ```swift
/// var hash = FNV1a()
/// hash.combine("alertname".utf8)
/// hash.hex  // 16 lowercase hex digits
/// ```
public struct FNV1a: Sendable, Equatable {
    /// The hash of what was combined so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of nothing yet.
    public init() {}

    /// Adds one byte.
    @inline(__always)
    public mutating func combine(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    /// Adds every byte of `bytes`, in order.
    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { combine(byte) }
    }

    /// The hash as 16 lowercase hex digits, zero-padded.
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

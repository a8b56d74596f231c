#if canImport(CryptoKit)
import CryptoKit
#else
import CLibCrypto
#endif

/// SHA-256, from the system's crypto library: OpenSSL's libcrypto on Linux (Debian's libssl-dev),
/// CryptoKit on Apple's systems. swift-crypto would compile a second copy of BoringSSL (NIOSSL
/// already compiles one) for this one function, a large part of a first build.
public enum SHA256Digest {
    /// The length of a digest in bytes.
    public static let byteCount = 32

    /// Writes the SHA-256 of `data` to the first 32 bytes of `digest`.
    public static func hash(_ data: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) {
        precondition(digest.count >= byteCount, "a SHA-256 digest is 32 bytes")
        #if canImport(CryptoKit)
        let value = CryptoKit.SHA256.hash(data: data)
        value.withUnsafeBytes { digest.copyMemory(from: $0) }
        #else
        var size: UInt32 = 0
        // A base address is needed even for no bytes; `EVP_Digest` reads none of them.
        var empty: UInt8 = 0
        let ok = withUnsafePointer(to: &empty) { emptyPointer in
            EVP_Digest(data.baseAddress ?? UnsafeRawPointer(emptyPointer), data.count,
                       digest.baseAddress!.assumingMemoryBound(to: UInt8.self), &size, Self.algorithm, nil)
        }
        // Fails only without memory for its context, or without the default provider.
        precondition(ok == 1 && size == UInt32(byteCount), "libcrypto's SHA-256 failed")
        #endif
    }

    /// The SHA-256 of `bytes`, 32 bytes.
    public static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        let contiguous: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            digest.withUnsafeMutableBytes { hash(UnsafeRawBufferPointer(buffer), into: $0) }
        }
        if contiguous == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { data in digest.withUnsafeMutableBytes { hash(data, into: $0) } }
        }
        return digest
    }

    #if !canImport(CryptoKit)
    /// Fetched once: `EVP_sha256()` alone would look the implementation up in the provider on every call.
    /// (An immutable pointer to a constant algorithm object, shared by every thread.)
    nonisolated(unsafe) private static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)
    #endif
}

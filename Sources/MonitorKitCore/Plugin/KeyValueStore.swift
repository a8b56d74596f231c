import NIOCore

/// A value read back from a store, with what describes it.
///
/// The bytes are either a buffer the store shares with the reader (a memory hit: no copy,
/// however many readers) or a ``ValueStream`` read in bounded chunks (a file), so a value of
/// many megabytes is never held whole for one reader.
public struct StoredValue: Sendable {
    /// Where the bytes come from.
    public enum Body: Sendable {
        /// All of the value, shared with the store.
        case buffer(ByteBuffer)
        /// The value, read a chunk at a time.
        case stream(any ValueStream)
    }

    /// The value.
    public var body: Body
    /// The string map stored with the value.
    public var metadata: [String: String]
    /// Which tier answered (`memory` or `disk` for the cache); `nil` when the store has no tiers.
    public var tier: String?
    /// Unix seconds.
    public var createdAt: Double
    /// Unix seconds; `nil` when the entry never expires.
    public var expiresAt: Double?
    /// A 64-bit checksum of the value's bytes (the same bytes give the same checksum), from which
    /// ``entityTag`` is made; `nil` when the store keeps none.
    public var checksum: UInt64?

    /// A strong validator of the value's bytes, without quotes (the HTTP `ETag`): the checksum as
    /// 16 hex digits. `nil` when the store keeps no checksum.
    public var entityTag: String? {
        guard let checksum else { return nil }
        let hex = String(checksum, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A value read back, created at `createdAt` and expiring at `expiresAt` (Unix seconds).
    public init(
        body: Body, metadata: [String: String] = [:], tier: String? = nil, createdAt: Double, expiresAt: Double?,
        checksum: UInt64? = nil
    ) {
        self.body = body
        self.metadata = metadata
        self.tier = tier
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.checksum = checksum
    }

    /// A value held in memory as `bytes`.
    public init(bytes: [UInt8], metadata: [String: String] = [:], tier: String? = nil, createdAt: Double, expiresAt: Double?) {
        self.init(body: .buffer(ByteBuffer(bytes: bytes)), metadata: metadata, tier: tier, createdAt: createdAt, expiresAt: expiresAt)
    }

    /// The value's length in bytes.
    public var length: Int {
        switch body {
        case .buffer(let buffer): buffer.readableBytes
        case .stream(let stream): stream.length
        }
    }

    /// The whole value in one buffer (a streamed value is read to its end: for small values and tests).
    public func collect() async throws -> ByteBuffer {
        switch body {
        case .buffer(let buffer):
            return buffer
        case .stream(let stream):
            var out = ByteBuffer()
            out.reserveCapacity(stream.length)
            while out.readableBytes < stream.length {
                var chunk = try await stream.read(from: out.readableBytes, maxLength: stream.length - out.readableBytes)
                guard chunk.readableBytes > 0 else { break }
                out.writeBuffer(&chunk)
            }
            return out
        }
    }
}

/// A value a store hands out in chunks (an open file), so a reader holds a bounded buffer.
public protocol ValueStream: Sendable {
    /// The value's length in bytes.
    var length: Int { get }
    /// Up to `maxLength` bytes of the value starting at `offset` (fewer only at its end). The
    /// bytes are those of the version that was current when the value was looked up, even if
    /// the entry has been replaced or deleted since.
    func read(from offset: Int, maxLength: Int) async throws -> ByteBuffer
    /// The value as it lies in a file, for a sender that hands the file to the kernel
    /// (`sendfile`) instead of reading it: only for a file whose bytes the store has already
    /// checked and that no one writes in place. `nil` (the default): the stream must be read.
    func fileRegion() -> ValueFileRegion?
}

extension ValueStream {
    public func fileRegion() -> ValueFileRegion? { nil }
}

/// Where a streamed value lies in an open file (``ValueStream/fileRegion()``).
public struct ValueFileRegion: Sendable {
    /// A descriptor of its own on the file, open for reading: the receiver closes it.
    public var descriptor: Int32
    /// Where the value's first byte lies in the file.
    public var offset: Int

    public init(descriptor: Int32, offset: Int) {
        self.descriptor = descriptor
        self.offset = offset
    }
}

/// The capability of a source that stores data; the HTTP data plane serves any source adopting it.
public protocol KeyValueStore: Sendable {
    /// The value under `key`, or `nil` on a miss (absent or expired).
    func get(_ key: String) async throws -> StoredValue?
    /// Stores `value` under `key`. `ttl` `nil` means the store's default TTL.
    func set(_ key: String, value: ByteBuffer, ttl: Duration?, metadata: [String: String]) async throws
    /// Stores the bytes `chunks` yields under `key`, as they arrive; returns the value's length.
    /// The entry appears only once the sequence has ended and the store has it whole: a sequence
    /// that throws, or passes `limit` bytes (`StoreError(.tooLarge)`), leaves nothing behind.
    func set<Chunks: AsyncSequence>(
        _ key: String, chunks: Chunks, limit: Int, ttl: Duration?, metadata: [String: String]
    ) async throws -> Int where Chunks.Element == ByteBuffer
    /// Refuses, before any byte of the value is read, a `set` of `key` that would be refused
    /// anyway: the key's shape, `ttl`, the metadata's size, and `length` (when the caller knows
    /// it) against the store's limits. Throws the ``StoreError`` that `set` would. The HTTP data
    /// plane asks before it answers `100 Continue`, so a client is not invited to send a body
    /// only to have it refused. (No default: a store that forgot it would invite every body.)
    func admit(_ key: String, length: Int?, ttl: Duration?, metadata: [String: String]) throws
    /// Removes `key`; `true` when something was removed.
    @discardableResult
    func delete(_ key: String) async throws -> Bool
}

extension KeyValueStore {
    /// Stores `value` (copied into a buffer).
    public func set(_ key: String, value: [UInt8], ttl: Duration?, metadata: [String: String]) async throws {
        try await set(key, value: ByteBuffer(bytes: value), ttl: ttl, metadata: metadata)
    }

    /// For a store that cannot write a value in pieces, to implement the chunked `set` with:
    /// collects the chunks (up to `limit` bytes), then stores them in one `set`.
    public func collectingSet<Chunks: AsyncSequence>(
        _ key: String, chunks: Chunks, limit: Int, ttl: Duration?, metadata: [String: String]
    ) async throws -> Int where Chunks.Element == ByteBuffer {
        var value = ByteBuffer()
        for try await var chunk in chunks {
            guard value.readableBytes + chunk.readableBytes <= limit else {
                throw StoreError(.tooLarge, "the value is over the limit of \(limit) bytes")
            }
            value.writeBuffer(&chunk)
        }
        try await set(key, value: value, ttl: ttl, metadata: metadata)
        return value.readableBytes
    }
}

/// A store refusing a request; the HTTP sink maps ``code`` to a status.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of refusal, which says the HTTP status.
    public enum Code: String, Sendable {
        /// The key is empty, too long or otherwise unusable (HTTP 400).
        case invalidKey = "invalid_key"
        /// A TTL or other argument is out of range (HTTP 400).
        case invalidArgument = "invalid_argument"
        /// The value is larger than the store accepts (HTTP 413).
        case tooLarge = "too_large"
        /// The store could not do the work now: disk full, unwritable (HTTP 503).
        case unavailable
    }

    /// What kind of refusal.
    public var code: Code
    /// What was wrong, as the client sees it.
    public var message: String

    /// A refusal of kind `code` saying `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message alone.
    public var description: String { message }
}

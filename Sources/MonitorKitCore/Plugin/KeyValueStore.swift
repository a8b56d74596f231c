/// A value read back from a ``KeyValueStore``.
public struct StoredValue: Sendable, Equatable {
    /// The value.
    public var bytes: [UInt8]
    /// The string map stored with the value.
    public var metadata: [String: String]
    /// Which tier answered (`memory` or `disk` for the cache); `nil` when the store has no tiers.
    public var tier: String?
    /// Unix seconds.
    public var createdAt: Double
    /// Unix seconds; `nil` when the entry never expires.
    public var expiresAt: Double?

    /// A value read back, created at `createdAt` and expiring at `expiresAt` (Unix seconds).
    public init(bytes: [UInt8], metadata: [String: String] = [:], tier: String? = nil, createdAt: Double, expiresAt: Double?) {
        self.bytes = bytes
        self.metadata = metadata
        self.tier = tier
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The capability of a source that stores data; the HTTP data plane serves any source adopting it.
public protocol KeyValueStore: Sendable {
    /// The value under `key`, or `nil` on a miss (absent or expired).
    func get(_ key: String) async throws -> StoredValue?
    /// Stores `value` under `key`. `ttl` `nil` means the store's default TTL.
    func set(_ key: String, value: [UInt8], ttl: Duration?, metadata: [String: String]) async throws
    /// Removes `key`; `true` when something was removed.
    @discardableResult
    func delete(_ key: String) async throws -> Bool
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

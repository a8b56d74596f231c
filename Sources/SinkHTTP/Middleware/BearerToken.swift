/// The `auth_token`, checked against what a request presents without leaking, through timing,
/// how much of a guess was right.
struct BearerToken: Sendable {
    private let token: [UInt8]

    init(_ token: String) {
        self.token = Array(token.utf8)
    }

    /// `Authorization: Bearer <token>`; the scheme name is case-insensitive.
    func matches(authorization header: String) -> Bool {
        let bytes = Array(header.utf8)
        let scheme = Array("bearer ".utf8)
        guard bytes.count >= scheme.count, zip(bytes.prefix(scheme.count), scheme).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else {
            return false
        }
        return Self.constantTimeEqual(bytes[scheme.count...], token)
    }

    /// The bare token (the `access_token` query parameter).
    func matches(token candidate: Substring) -> Bool {
        Self.constantTimeEqual(Array(candidate.utf8)[...], token)
    }

    /// Equal contents, in time that depends only on the lengths, never on where they differ.
    static func constantTimeEqual(_ given: ArraySlice<UInt8>, _ expected: [UInt8]) -> Bool {
        var difference: UInt8 = given.count == expected.count ? 0 : 1
        var index = given.startIndex
        for byte in expected {
            let other = index < given.endIndex ? given[index] : 0
            difference |= byte ^ other
            index += 1
        }
        return difference == 0
    }
}

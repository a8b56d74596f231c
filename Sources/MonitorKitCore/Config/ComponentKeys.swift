/// The keys every source shares besides `type` (which the loader reads itself, for better
/// errors); each is decoded on its own, nil when absent or wrong.
struct SourceKeys {
    var enabled: Bool?
    var interval: Duration?
    var jitter: Duration?
    var timeout: Duration?

    /// Every key written in the file decoded (none of them had an error).
    func isComplete(in node: YAMLNode) -> Bool {
        [("enabled", enabled != nil), ("interval", interval != nil), ("jitter", jitter != nil), ("timeout", timeout != nil)]
            .allSatisfy { key, decoded in decoded || node[key].map(\.isNull) ?? true }
    }
}

/// The keys every sink shares besides `type`.
struct SinkKeys {
    var enabled: Bool?
    var inputs: InputList?
    var buffer: BufferKeys?

    func isComplete(in node: YAMLNode) -> Bool {
        [("enabled", enabled != nil), ("inputs", inputs != nil), ("buffer", buffer != nil)]
            .allSatisfy { key, decoded in decoded || node[key].map(\.isNull) ?? true }
    }
}

/// `inputs: [cache, "db*"]`, or a single `inputs: cache`.
struct InputList: Decodable {
    var patterns: [String]

    init(from decoder: any Decoder) throws {
        if let single = try? decoder.singleValueContainer().decode(String.self) {
            patterns = [single]
        } else {
            var list = try decoder.unkeyedContainer()
            patterns = []
            while !list.isAtEnd {
                patterns.append(try list.decode(String.self))
            }
        }
    }
}

/// `buffer: { max_events, when_full }` with each key optional, so the plugin's default applies to
/// whichever is missing.
struct BufferKeys: Decodable {
    var maxEvents: Int?
    var whenFull: WhenFull?

    enum CodingKeys: String, CodingKey {
        case maxEvents = "max_events"
        case whenFull = "when_full"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxEvents = try container.decodeIfPresent(Int.self, forKey: .maxEvents, in: BufferPolicy.maxEventsRange)
        whenFull = try container.decodeIfPresent(WhenFull.self, forKey: .whenFull)
    }

    func policy(default fallback: BufferPolicy) -> BufferPolicy {
        BufferPolicy(maxEvents: maxEvents ?? fallback.maxEvents, whenFull: whenFull ?? fallback.whenFull)
    }
}

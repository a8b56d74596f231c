/// Parses a `text/event-stream` body as it arrives in chunks (the WHATWG EventSource rules the
/// view needs): lines end in LF, CRLF or CR; `data:` lines join with LF; a blank line ends a
/// message; lines starting with `:` are comments (the server's heartbeats).
struct ServerSentEventParser: Sendable {
    struct Message: Sendable, Equatable {
        /// The `event:` name, `message` when none was given.
        var event: String
        var data: String
    }

    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event = ""
    private var data: [String] = []
    private var hasData = false
    /// The `retry:` the server asked for, in milliseconds.
    private(set) var retryMilliseconds: Int?

    init() {}

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Message] {
        var messages: [Message] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                if let message = endLine() { messages.append(message) }
            case 0x0D:
                lastWasCR = true
                if let message = endLine() { messages.append(message) }
            default:
                line.append(byte)
            }
        }
        return messages
    }

    private mutating func endLine() -> Message? {
        defer { line.removeAll(keepingCapacity: true) }
        guard !line.isEmpty else {
            defer {
                event = ""
                data = []
                hasData = false
            }
            guard hasData else { return nil }
            return Message(event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"))
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let name: Substring, value: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            let rest = text[text.index(after: colon)...]
            value = rest.first == " " ? rest.dropFirst() : rest
        } else {
            name = Substring(text)
            value = ""
        }
        switch name {
        case "data":
            data.append(String(value))
            hasData = true
        case "event":
            event = String(value)
        case "retry":
            if let ms = Int(value) { retryMilliseconds = ms }
        default:
            break
        }
        return nil
    }
}

/// Turns the bytes a terminal sends in raw mode into ``Key``s.
///
/// Keeps an incomplete sequence (an escape sequence or a UTF-8 character split across reads) for
/// the next ``feed(_:)``. A lone ESC cannot be told from the start of a sequence until the input
/// goes quiet, so the reader calls ``flush()`` after a short pause.
struct KeyDecoder: Sendable {
    private var pending: [UInt8] = []

    init() {}

    /// Whether bytes are waiting for the rest of a sequence.
    var hasPending: Bool { !pending.isEmpty }

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Key] {
        pending.append(contentsOf: bytes)
        var keys: [Key] = []
        var index = 0
        while index < pending.count {
            guard let (key, length) = decode(at: index) else { break }
            keys.append(key)
            index += length
        }
        pending.removeFirst(index)
        return keys
    }

    /// Whatever is pending, taken as typed: a lone ESC is the Escape key.
    mutating func flush() -> [Key] {
        defer { pending.removeAll() }
        guard let first = pending.first else { return [] }
        if first == 0x1B {
            var rest = KeyDecoder()
            return [.escape] + rest.feed(pending.dropFirst()) + (rest.hasPending ? [.unknown] : [])
        }
        return [.unknown]
    }

    /// The key at `index` and its length, or `nil` when more bytes are needed.
    private func decode(at index: Int) -> (Key, Int)? {
        let byte = pending[index]
        let available = pending.count - index
        switch byte {
        case 0x1B:
            guard available >= 2 else { return nil }
            let next = pending[index + 1]
            if next == UInt8(ascii: "[") || next == UInt8(ascii: "O") {
                // CSI/SS3: parameters then one final byte in 0x40...0x7E.
                var end = index + 2
                while end < pending.count, !(0x40...0x7E).contains(pending[end]) { end += 1 }
                guard end < pending.count else { return nil }
                let final = pending[end]
                let length = end - index + 1
                switch final {
                case UInt8(ascii: "A"): return (.up, length)
                case UInt8(ascii: "B"): return (.down, length)
                case UInt8(ascii: "C"): return (.right, length)
                case UInt8(ascii: "D"): return (.left, length)
                case UInt8(ascii: "Z"): return (.backTab, length)
                default: return (.unknown, length)
                }
            }
            if next == 0x1B { return (.escape, 1) }
            // Alt+key: the view has no use for it.
            return (.unknown, 2)
        case 0x03: return (.interrupt, 1)
        case 0x09: return (.tab, 1)
        case 0x0C: return (.redraw, 1)
        case 0x0A, 0x0D: return (.enter, 1)
        case 0x08, 0x7F: return (.backspace, 1)
        case 0x00..<0x20: return (.unknown, 1)
        case 0x20..<0x80: return (.character(Character(Unicode.Scalar(byte))), 1)
        default:
            let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            guard available >= length else { return nil }
            let text = String(decoding: pending[index..<index + length], as: UTF8.self)
            guard length > 1, let character = text.first, text.count == 1 else { return (.unknown, length) }
            return (.character(character), length)
        }
    }
}

/// Renders values as compact JSON, keeping field order.
///
/// Hand-written because every sink writes JSON on its hot path (log lines, SSE, API answers)
/// and `JSONEncoder` neither keeps field order nor runs at a million events a second.
public struct JSONWriter: Sendable {
    /// The JSON written so far, UTF-8.
    public private(set) var bytes: [UInt8]

    /// An empty writer with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The output as a `String`.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Writes `value` as JSON; objects keep their field order.
    public mutating func write(_ value: Value) {
        switch value {
        case .int(let i): writeRaw(String(i))
        case .double(let d): write(double: d)
        case .string(let s): write(string: s)
        case .bool(let b): writeRaw(b ? "true" : "false")
        case .null: writeRaw("null")
        case .list(let list):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in list.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let fields): write(fields)
        }
    }

    /// Writes `fields` as a JSON object, in their order.
    public mutating func write(_ fields: Fields) {
        bytes.append(UInt8(ascii: "{"))
        var first = true
        for entry in fields {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            write(string: entry.name)
            bytes.append(UInt8(ascii: ":"))
            write(entry.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// `{"source","name","kind","time","fields"}`: the wire shape of an event (SSE, history).
    public mutating func write(_ event: Event) {
        writeRaw("{\"source\":")
        write(string: event.source)
        writeRaw(",\"name\":")
        write(string: event.name)
        writeRaw(",\"kind\":\"")
        writeRaw(event.kind.rawValue)
        writeRaw("\",\"time\":")
        write(double: event.time)
        writeRaw(",\"fields\":")
        write(event.fields)
        bytes.append(UInt8(ascii: "}"))
    }

    /// A JSON number; NaN and infinities, which JSON cannot carry, become `null`.
    public mutating func write(double d: Double) {
        guard d.isFinite else { return writeRaw("null") }
        if d == d.rounded(), abs(d) < 1e15 {
            // Keep a fraction so readers see a float: 3.0, not 3.
            writeRaw(String(Int64(d)))
            writeRaw(".0")
        } else {
            writeRaw(String(d))
        }
    }

    /// Writes `s` as a JSON string, quoted and escaped.
    public mutating func write(string s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            // Copy runs that need no escaping in one go; most strings are one such run.
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                writeEscaped(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): writeRaw("\\\"")
        case UInt8(ascii: "\\"): writeRaw("\\\\")
        case 0x0A: writeRaw("\\n")
        case 0x0D: writeRaw("\\r")
        case 0x09: writeRaw("\\t")
        default:
            let hex: StaticString = "0123456789abcdef"
            writeRaw("\\u00")
            bytes.append(hex.utf8Start[Int(byte >> 4)])
            bytes.append(hex.utf8Start[Int(byte & 0xF)])
        }
    }

    /// Appends text that is already valid JSON.
    public mutating func writeRaw(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }
}

extension Value {
    /// The value as compact JSON text.
    public var json: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.string
    }
}

extension Fields {
    /// The fields as a compact JSON object.
    public var json: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.string
    }
}

extension Event {
    /// The event as compact JSON: `{"source","name","kind","time","fields"}`.
    public var json: String {
        var writer = JSONWriter()
        writer.write(self)
        return writer.string
    }
}

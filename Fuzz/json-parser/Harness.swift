// libFuzzer target: the JSON parser `monitord top --url` runs on whatever a remote server sends.
// Any input must give a value or a thrown error, never a trap; a value must survive a write by
// the JSONWriter and a second parse unchanged (the two halves of the wire format agree).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    var writer = JSONWriter(capacity: size + 16)
    writer.write(value)
    let text = writer.string
    guard let again = try? JSONParser.parse(text) else {
        preconditionFailure("the parser refused the writer's own output: \(text)")
    }
    precondition(again == value, "a write and a re-parse changed \(value) into \(again)")
    return 0
}

// libFuzzer target: the cache's entry-file decoder (EntryFile), which reads whatever is on disk:
// torn writes, bit flips, another program's files. Any bytes must decode or be refused as damaged,
// never trap or read out of bounds (AddressSanitizer watches). Three passes per input:
// 1. the bytes as they are, for the key they claim;
// 2. the same bytes with the value length and checksum repaired, so the fuzzer reaches the key and
//    metadata parsing behind the checksum instead of stopping at it;
// 3. an entry encoded from pieces of the input, which must decode back to exactly those pieces.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntryFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    input.withUnsafeBytes { raw in
        _ = EntryFile.fixed(raw)
        _ = try? EntryFile.decode(raw, key: claimedKey(raw))
    }
    var repaired = input
    if repair(&repaired) {
        repaired.withUnsafeBytes { raw in _ = try? EntryFile.decode(raw, key: claimedKey(raw)) }
    }
    roundTrip(input)
    return 0
}

/// The key bytes the header points at, when they lie inside the input.
private func claimedKey(_ raw: UnsafeRawBufferPointer) -> String {
    guard let fixed = EntryFile.fixed(raw), fixed.keyOffset + fixed.keyLength <= raw.count else { return "" }
    return String(decoding: raw[fixed.keyOffset..<fixed.keyOffset + fixed.keyLength], as: UTF8.self)
}

/// Makes the value length match the input and recomputes the checksums (of either version);
/// false when the header itself is unusable.
private func repair(_ bytes: inout [UInt8]) -> Bool {
    let fixed = bytes.withUnsafeBytes { raw in EntryFile.fixed(raw) }
    guard let fixed, fixed.headerLength <= bytes.count, fixed.headerLength >= EntryFile.keyOffset || fixed.version == 1 else { return false }
    let headerLength = fixed.headerLength
    store(UInt64(bytes.count - headerLength), at: 24, in: &bytes)
    if fixed.version == 1 {
        let sum = bytes.withUnsafeBytes { raw in
            Checksum64.hash(
                UnsafeRawBufferPointer(rebasing: raw[headerLength...]),
                seed: Checksum64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<headerLength - 8])))
        }
        store(sum, at: headerLength - 8, in: &bytes)
    } else {
        let valueSum = bytes.withUnsafeBytes { raw in Checksum64.hash(UnsafeRawBufferPointer(rebasing: raw[headerLength...])) }
        store(valueSum, at: 48, in: &bytes)
        let headerSum = bytes.withUnsafeBytes { raw in Checksum64.hash(UnsafeRawBufferPointer(rebasing: raw[0..<headerLength - 8])) }
        store(headerSum, at: headerLength - 8, in: &bytes)
    }
    return true
}

private func store(_ value: UInt64, at offset: Int, in bytes: inout [UInt8]) {
    withUnsafeBytes(of: value.littleEndian) { word in
        for (index, byte) in word.enumerated() { bytes[offset + index] = byte }
    }
}

/// Key, one metadata pair and value cut from the input; what is encoded must decode unchanged.
private func roundTrip(_ input: [UInt8]) {
    guard input.count >= 3 else { return }
    let keyLength = Int(input[0]) % max(1, input.count - 2)
    let rest = input[3...]
    let key = String(decoding: rest.prefix(keyLength), as: UTF8.self)
    let tail = Array(rest.dropFirst(keyLength))
    let nameLength = min(Int(input[1]), tail.count)
    let name = String(decoding: tail.prefix(nameLength), as: UTF8.self)
    let value = Array(tail.dropFirst(nameLength))
    let metadata = input[2] & 1 == 0 ? [:] : [name: key]
    let created = 1_700_000_000.25
    let expires = input[2] & 2 == 0 ? 0 : created + Double(input[1])
    var file = EntryFile.header(
        key: key, metadata: metadata, created: created, expires: expires, valueLength: value.count, valueChecksum: Checksum64.hash(value))
    file += value
    let decoded = file.withUnsafeBytes { try? EntryFile.decode($0, key: key) }
    guard let decoded else { preconditionFailure("an entry the encoder wrote was refused (key \(key.debugDescription))") }
    precondition(Array(file[decoded.valueRange]) == value && decoded.metadata == metadata, "round trip changed the entry")
    precondition(decoded.tag == Checksum64.hash(value), "the tag is not the value's checksum")
    precondition(decoded.created == created && decoded.expires == expires, "round trip changed the times")
}

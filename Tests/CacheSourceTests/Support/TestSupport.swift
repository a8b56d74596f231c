import Foundation
import MonitorKitCore
import Synchronization
import Testing
@testable import CacheSource

/// A clock tests move by hand, so TTLs expire without sleeping.
final class TestClock: Sendable {
    private let time = Mutex<Double>(1_700_000_000)

    func now() -> Double { time.withLock { $0 } }
    func advance(_ seconds: Double) { time.withLock { $0 += seconds } }

    var function: @Sendable () -> Double { { self.now() } }
}

/// A fresh directory under the system temporary directory, removed when `body` returns.
func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("cache-test-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// The path of `key`'s entry file under `directory`.
func entryPath(_ directory: String, _ key: String) -> String {
    let hex = EntryDigest(key: key).hex
    let start = hex.startIndex
    return "\(directory)/\(hex[start..<hex.index(start, offsetBy: 2)])/\(hex[hex.index(start, offsetBy: 2)..<hex.index(start, offsetBy: 4)])/\(hex)"
}

/// Every regular file under `directory`, as paths relative to it.
func filesUnder(_ directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var files: [String] = []
    while let relative = walker.nextObject() as? String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
            files.append(relative)
        }
    }
    return files
}

/// Entry files (64-hex names) under `directory`.
func entryFiles(_ directory: String) -> [String] {
    filesUnder(directory).filter { ($0.split(separator: "/").last?.count ?? 0) == 64 }
}

func temporaryFiles(_ directory: String) -> [String] {
    filesUnder(directory).filter { $0.hasSuffix(".tmp") }
}

/// The bytes a value is made of in tests: deterministic per key, so a read can be checked.
/// The same function is in Tests/Fixtures/cache-writer/main.swift.
func derivedValue(for key: String) -> [UInt8] {
    var seed: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in key.utf8 { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let length = 512 + Int(seed % 65536)
    var out: [UInt8] = []
    out.reserveCapacity(length)
    var x = seed | 1
    for _ in 0..<length {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        out.append(UInt8(truncatingIfNeeded: x))
    }
    return out
}

/// Polls `condition` until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 10, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// Expects `body` to throw a `StoreError` with `code`, and returns its message.
@discardableResult
func expectStoreError(_ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> String? {
    do {
        try body()
        Issue.record("expected StoreError(.\(code)), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as StoreError {
        #expect(error.code == code, sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("expected StoreError(.\(code)), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Runs `work(0)` … `work(count - 1)` each on a thread of its own and returns their results in
/// order. Blocking file work in tasks would hold the few cooperative threads that every other
/// test of the run shares (two on a 2-core machine), and stall all of them while the disk is slow.
func onThreads<T: Sendable>(_ count: Int, _ work: @escaping @Sendable (Int) -> T) async -> [T] {
    let results = Mutex<[Int: T]>([:])
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let remaining = Mutex(count)
        for index in 0..<count {
            Thread.detachNewThread {
                let result = work(index)
                results.withLock { $0[index] = result }
                if remaining.withLock({ left in left -= 1; return left == 0 }) { continuation.resume() }
            }
        }
    }
    return results.withLock { all in (0..<count).compactMap { all[$0] } }
}

/// The `cache` source's keys decoded from `yaml` as monitord.yaml would hold them.
func decodeCacheConfig(_ yaml: String, environment: [String: String] = [:]) throws -> CacheSourceConfig {
    try YAMLDecoder().decode(CacheSourceConfig.self, from: yaml, file: "monitord.yaml", environment: environment)
}

/// The error a user sees for `yaml`, or "no error".
func cacheConfigError(_ yaml: String) -> String {
    do {
        _ = try decodeCacheConfig(yaml)
        return "no error"
    } catch {
        return "\(error)"
    }
}

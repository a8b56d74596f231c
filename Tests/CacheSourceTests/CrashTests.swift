import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

@Suite("CacheManager: a writer killed with SIGKILL")
struct CrashTests {
    /// `.build/<config>/cache-writer`: next to the test bundle, else under the package's `.build`.
    @Test("a new manager returns only complete, verified values and no temporary file survives its start")
    func killedWriter() async throws {
        let writer = try #require(fixtureExecutable("cache-writer"), "build the cache-writer product first (swift build)")
        try await withTemporaryDirectory { dir in
            let keys = 600
            for round in 1...5 {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: writer)
                process.arguments = [dir, String(keys)]
                try process.run()
                // Kill it mid-stream: once it has written a good share of entries (more each round).
                let target = min(keys, 100 * round)
                let wrote = await eventually(within: 60) { entryFiles(dir).count >= target }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                #expect(wrote, "the writer did not write \(target) entries in time")
                #expect(process.terminationReason == .uncaughtSignal)
                #expect(process.terminationStatus == SIGKILL)

                let cache = try CacheManager(directory: dir)
                #expect(temporaryFiles(dir).isEmpty, "round \(round): \(temporaryFiles(dir))")
                var found = 0
                for index in 0..<keys {
                    let key = "entry-\(index)"
                    guard let value = try cache.get(key) else { continue }
                    found += 1
                    #expect(value == derivedValue(for: key), "round \(round): \(key) came back wrong")
                }
                let stats = cache.stats()
                #expect(found >= target)
                #expect(found == stats.diskItems)
                #expect(stats.corruptEntries == 0)
            }
        }
    }
}

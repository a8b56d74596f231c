import Foundation
import MonitorKitCore
import Testing
@testable import CacheSource

/// Issue 10, acceptance: two real processes on one directory hammer set, delete, get and clear on
/// overlapping keys for 30 s; no read returns anything but the last acknowledged write or a later
/// one, and each process's counts equal a walk of the directory after its next sweep.
@Suite("CacheManager: two processes on one directory")
struct TwoProcessTests {
    static let seconds = 30
    static let keys = 48

    @Test("30 s of set, delete, get and clear from two processes: no stale or lost read, counts match the directory")
    func hammer() async throws {
        try await withTemporaryDirectory { root in
            let dir = root + "/cache"
            let logs = [root + "/one.log", root + "/two.log"]
            let processes = try (0..<2).map { index in
                try startHammer(["hammer", dir, String(index + 1), String(Self.seconds), String(Self.keys), logs[index], logs[1 - index]])
            }
            defer { for process in processes where process.isRunning { process.terminate() } }
            let ready = await eventually(within: 60) { logs.allSatisfy { FileManager.default.fileExists(atPath: $0 + ".ready") } }
            try #require(ready, "the hammer processes did not start")
            for log in logs { #expect(FileManager.default.createFile(atPath: log + ".go", contents: nil)) }

            let finished = await eventually(within: Double(Self.seconds) + 120) {
                logs.allSatisfy { FileManager.default.fileExists(atPath: $0 + ".stats") } && processes.allSatisfy { !$0.isRunning }
            }
            try #require(finished, "the hammer processes did not finish")
            for process in processes {
                process.waitUntilExit()
                #expect(process.terminationStatus == 0)
            }

            var history = OperationHistory()
            for (index, log) in logs.enumerated() {
                history.add(log: try String(contentsOfFile: log, encoding: .utf8), process: index + 1)
            }
            // Enough of each kind that the run means something.
            #expect(history.counts["G", default: 0] > 10_000, "\(history.counts)")
            #expect(history.counts["S", default: 0] > 5_000, "\(history.counts)")
            #expect(history.counts["D", default: 0] > 1_000, "\(history.counts)")
            #expect(history.counts["C", default: 0] > 2, "\(history.counts)")
            #expect(history.errors.isEmpty, "\(history.errors.prefix(10))")
            let stale = history.staleReads()
            #expect(stale.isEmpty, "\(stale.count) bad reads of \(history.reads.count), e.g. \(stale.prefix(5))")
            // Memory hits were part of it (a run of disk reads only would prove little).
            let memoryHits = history.reads.filter { $0.tier == "memory" }.count
            #expect(memoryHits > 1_000, "\(memoryHits) memory hits")

            // After both stopped, each process's sweep brought its counts in line with the directory.
            let files = entryFiles(dir)
            let bytes = try files.reduce(Int64(0)) { total, file in
                total + ((try FileManager.default.attributesOfItem(atPath: dir + "/" + file)[.size] as? Int64) ?? 0)
            }
            for log in logs {
                let fields = try String(contentsOfFile: log + ".stats", encoding: .utf8).split(whereSeparator: \.isWhitespace)
                try #require(fields.count == 3)
                #expect(Int(fields[0]) == files.count, "\(log): disk_items \(fields[0]), directory \(files.count)")
                #expect(Int64(fields[1]) == bytes, "\(log): size_bytes \(fields[1]), directory \(bytes)")
                #expect(Int(fields[2]) == 0, "\(log): \(fields[2]) operations failed")
            }
            let reopened = try CacheManager(directory: dir).stats()
            #expect(reopened.diskItems == files.count)
            #expect(reopened.cacheSizeMB == Double(bytes) / 1_048_576)
        }
    }
}

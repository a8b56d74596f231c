import Foundation
import Testing
@testable import SinkLog

/// The log file as logrotate and a shipper see it: real files in a temp directory.
@Suite struct LogOutputTests {
    @Test func aNewFileIsCreated0640WhateverTheUmask() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let old = umask(0o077)
        defer { umask(old) }
        let output = try LogOutput(target: .file(dir.file("events.log")))
        output.write(Array("one\n".utf8))
        output.close()
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("events.log"))
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
        #expect(lines(of: dir.file("events.log")) == ["one"])
    }

    @Test func anExistingFileIsAppendedTo() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        try "earlier\n".write(toFile: dir.file("events.log"), atomically: false, encoding: .utf8)
        let output = try LogOutput(target: .file(dir.file("events.log")))
        output.write(Array("later\n".utf8))
        output.close()
        #expect(lines(of: dir.file("events.log")) == ["earlier", "later"])
    }

    @Test func linesStayBufferedUntilFlushOrThreshold() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let output = try LogOutput(target: .file(dir.file("events.log")), flushThreshold: 10)
        output.write(Array("abc\n".utf8))
        #expect(lines(of: dir.file("events.log")).isEmpty)
        output.write(Array("defghij\n".utf8))  // passes the 10-byte threshold
        #expect(lines(of: dir.file("events.log")) == ["abc", "defghij"])
        output.write(Array("k\n".utf8))
        output.flush()
        #expect(lines(of: dir.file("events.log")) == ["abc", "defghij", "k"])
        output.close()
    }

    @Test func reopenAfterARenameWritesToAFreshFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = dir.file("events.log")
        let output = try LogOutput(target: .file(path))
        output.write(Array("before\n".utf8))
        // logrotate: rename, then HUP. Lines buffered before the HUP belong to the old file.
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        output.write(Array("buffered\n".utf8))
        try output.reopen()
        output.write(Array("after\n".utf8))
        output.close()
        #expect(lines(of: path + ".1") == ["before", "buffered"])
        #expect(lines(of: path) == ["after"])
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o640)
    }

    @Test func aMissingDirectoryIsAClearError() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        do {
            _ = try LogOutput(target: .file(dir.file("no/such/dir/events.log")))
            Issue.record("opened a file in a missing directory")
        } catch {
            #expect(error.description.contains("cannot open log file"))
            #expect(error.description.contains("No such file or directory"))
            #expect(error.description.contains("path: \"-\""))
        }
    }
}

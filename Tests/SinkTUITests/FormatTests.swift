import Testing
@testable import SinkTUI

@Suite struct FormatTests {
    @Test func integersAreGroupedByThousands() {
        #expect(Format.integer(0) == "0")
        #expect(Format.integer(999) == "999")
        #expect(Format.integer(1000) == "1,000")
        #expect(Format.integer(1_234_567) == "1,234,567")
        #expect(Format.integer(-12_345) == "-12,345")
    }

    @Test func fixedRoundsHalfToEvenLikePrintf() {
        #expect(Format.fixed(92.34, decimals: 1) == "92.3")
        #expect(Format.fixed(92.36, decimals: 1) == "92.4")
        // 6.25 is exact in binary: printf("%.1f") gives 6.2, so must the view.
        #expect(Format.fixed(6.25, decimals: 1) == "6.2")
        #expect(Format.fixed(0.5, decimals: 0) == "0")
        #expect(Format.fixed(12.5, decimals: 2) == "12.50")
        #expect(Format.fixed(1234.5, decimals: 2) == "1,234.50")
        #expect(Format.fixed(-0.04, decimals: 1) == "0.0")
        #expect(Format.fixed(.nan, decimals: 1) == "—")
    }

    @Test func percentAndMegabytes() {
        #expect(Format.percent(0.9) == "90.0%")
        #expect(Format.percent(2.0 / 3.0) == "66.7%")
        #expect(Format.percent(0) == "0.0%")
        #expect(Format.megabytes(0) == "0.00 MB")
        #expect(Format.megabytes(512.3456) == "512.35 MB")
    }

    @Test func durationsPickTheTwoLargestUnits() {
        #expect(Format.duration(0) == "0s")
        #expect(Format.duration(59.9) == "59s")
        #expect(Format.duration(65) == "1m 05s")
        #expect(Format.duration(2 * 3600 + 14 * 60 + 9) == "2h 14m")
        #expect(Format.duration(3 * 86400 + 4 * 3600) == "3d 04h")
        #expect(Format.duration(-1) == "—")
    }

    @Test func anyValueReadsCompactly() {
        #expect(Format.value(.int(4321)) == "4,321")
        #expect(Format.value(.double(3.0)) == "3")
        #expect(Format.value(.double(0.12345)) == "0.123")
        #expect(Format.value(.string("ok")) == "ok")
        #expect(Format.value(.bool(true)) == "yes")
        #expect(Format.value(.null) == "—")
    }
}

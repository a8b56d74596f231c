import Testing
@testable import SinkTUI

@Suite struct SparklineTests {
    @Test func valuesScaleFromZeroToTheMaximum() {
        let line = Sparkline.render([0, 25, 50, 75, 100], width: 5, maximum: 100)
        #expect(line == ["▁▂▄▆█"])
    }

    @Test func withoutAMaximumTheSeriesOwnMaximumIsTheTop() {
        #expect(Sparkline.render([1, 2, 4], width: 3) == ["▂▄█"])
        // Scaling by the series' own top, not its minimum: a flat series stays full height.
        #expect(Sparkline.render([5, 5, 5], width: 3) == ["███"])
    }

    @Test func aSharedMaximumKeepsTwoSeriesComparable() {
        let memory = Sparkline.render([10, 10], width: 2, maximum: 40)
        let disk = Sparkline.render([40, 40], width: 2, maximum: 40)
        #expect(memory == ["▂▂"])
        #expect(disk == ["██"])
    }

    @Test func newestSamplesAreAtTheRightAndMissingOnesAreBlank() {
        #expect(Sparkline.render([8], width: 4, maximum: 8) == ["   █"])
        #expect(Sparkline.render([1, 2, 3, 4, 5, 6, 7, 8], width: 3, maximum: 8) == ["▆▇█"])
        #expect(Sparkline.render([8, .nan, 8], width: 3, maximum: 8) == ["█ █"])
    }

    @Test func zeroIsDrawnAsTheLowestBlockSoItReadsAsMeasured() {
        #expect(Sparkline.render([0, 0], width: 2, maximum: 0) == ["▁▁"])
        #expect(Sparkline.render([0, 0], width: 2) == ["▁▁"])
    }

    @Test func tallChartsStackRows() {
        // Two rows: 100% fills both, 50% fills the bottom one, 75% a full bottom and half a top.
        let rows = Sparkline.render([100, 50, 75], width: 3, height: 2, maximum: 100)
        #expect(rows == ["█ ▄", "███"])
    }

    @Test func everyRowIsExactlyTheWidth() {
        for width in [0, 1, 7, 80] {
            for row in Sparkline.render([1, 2, 3], width: width, height: 3) {
                #expect(row.count == width)
            }
        }
    }
}

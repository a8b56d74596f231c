import Testing
@testable import SinkTUI

@Suite struct LayoutPlanTests {
    typealias D = LayoutPlan.Demand

    @Test func minimumsFirstThenPreferredThenMaximumInPriorityOrder() {
        let demands = [D(minimum: 4, preferred: 5), D(minimum: 2, preferred: 5, maximum: 13), D(minimum: 2, preferred: 3), D(minimum: 2, preferred: 7)]
        // 21 rows: minimums 10, preferred all fit (5+5+3+7 = 20), one row left grows the charts.
        #expect(LayoutPlan.allocate(21, demands) == [5, 6, 3, 7])
    }

    @Test func aSmallScreenDropsTheLeastImportantSections() {
        let demands = [D(minimum: 4, preferred: 5), D(minimum: 2, preferred: 5), D(minimum: 2, preferred: 3), D(minimum: 2, preferred: 7)]
        #expect(LayoutPlan.allocate(7, demands) == [5, 2, 0, 0])
        #expect(LayoutPlan.allocate(3, demands) == [0, 3, 0, 0])
        #expect(LayoutPlan.allocate(0, demands) == [0, 0, 0, 0])
    }

    @Test func neverHandsOutMoreThanThereIs() {
        let demands = [D(minimum: 3, preferred: 9, maximum: 20), D(minimum: 1, preferred: 4)]
        for available in 0...40 {
            #expect(LayoutPlan.allocate(available, demands).reduce(0, +) <= available)
        }
    }
}

import CacheSource
import MonitorKitCore
import Testing
@testable import SinkTUI

/// Issue 10, defect 5: the terminal view shows the bytes the cache's memory tier holds.
@Suite struct MemoryUsedCardTests {
    @Test func aCacheSampleGetsAMemoryUsedCard() {
        var fields = Fields()
        fields.append("memory_items", .int(3))
        fields.append("disk_items", .int(9))
        fields.append("hit_rate", .double(0.5))
        fields.append("memory_bytes", .int(3 << 20))
        let card = CardsSection.cards(for: fields, metrics: CacheStatistics.descriptors).first { $0.label == "Memory used" }
        #expect(card?.value == "3.00 MB")
    }
}

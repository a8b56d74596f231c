import Testing
@testable import CacheSource

@Suite("Recency list")
struct RecencyListTests {
    @Test("the recency list keeps LRU order through inserts, touches and removals")
    func recencyList() {
        var list = RecencyList<String>()
        let a = list.insert("a")
        let b = list.insert("b")
        let c = list.insert("c")
        #expect(list.tail == a)
        list.touch(a)
        #expect(list.tail == b)
        #expect(list.head == a)
        #expect(list.remove(b) == "b")
        #expect(list.tail == c)
        let d = list.insert("d")
        #expect(d == b)  // the freed slot is reused
        #expect(list.count == 3)
        list.remove(c)
        list.remove(a)
        #expect(list.head == d && list.tail == d)
        list.remove(d)
        #expect(list.head == -1 && list.tail == -1 && list.count == 0)
    }

    @Test("an element is changed in place, and a free slot reads nil and removes as nil")
    func inPlaceAndFreeSlots() {
        var list = RecencyList<Int>()
        let a = list.insert(1)
        let b = list.insert(2)
        list[a]? += 10
        #expect(list[a] == 11)
        #expect(list.tail == a)  // a write is not a use
        #expect(list.remove(b) == 2)
        #expect(list[b] == nil)
        #expect(list.remove(b) == nil)
        #expect(list.count == 1)
        #expect(list.slotCount == 2)
    }

    @Test("removeAll empties the list and starts slots again from 0")
    func removeAll() {
        var list = RecencyList<Int>()
        for value in 0..<5 { _ = list.insert(value) }
        list.removeAll()
        #expect(list.count == 0 && list.head == -1 && list.tail == -1 && list.slotCount == 0)
        #expect(list.insert(7) == 0)
    }

    @Test("through a long random sequence the list evicts exactly as a reference LRU does")
    func matchesReferenceModel() {
        var list = RecencyList<Int>()
        var slots: [Int: Int32] = [:]  // value -> slot
        var reference: [Int] = []  // most recent first
        var generator = SplitMix(seed: 42)
        for step in 0..<20_000 {
            let value = Int(generator.next() % 64)
            switch generator.next() % 3 {
            case 0 where slots[value] == nil:
                slots[value] = list.insert(value)
                reference.insert(value, at: 0)
            case 1:
                if let slot = slots[value] {
                    list.touch(slot)
                    reference.removeAll { $0 == value }
                    reference.insert(value, at: 0)
                }
            default:
                if let slot = slots.removeValue(forKey: value) {
                    #expect(list.remove(slot) == value)
                    reference.removeAll { $0 == value }
                }
            }
            #expect(list.count == reference.count)
            #expect(list.head == (reference.first.flatMap { slots[$0] } ?? -1), "step \(step)")
            #expect(list.tail == (reference.last.flatMap { slots[$0] } ?? -1), "step \(step)")
        }
        // Evicting from the tail gives the reference order, least recent first.
        var evicted: [Int] = []
        while list.tail >= 0, let value = list.remove(list.tail) { evicted.append(value) }
        #expect(evicted == reference.reversed())
    }
}

/// A small deterministic generator, so a failure replays.
private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

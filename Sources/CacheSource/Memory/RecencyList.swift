/// Elements in array slots threaded by a doubly linked list in recency order: insert, touch,
/// remove and "least recently used" are all O(1) with no allocation once the arrays have grown.
///
/// Slots are `Int32` indices that stay valid until the element is removed, so other structures
/// can link to an element by slot (the memory tier and the disk index link to each other).
struct RecencyList<Element> {
    private(set) var slots: [Element?] = []
    private var previous: [Int32] = []
    private var next: [Int32] = []
    private var free: [Int32] = []
    /// The most recently used slot, or -1.
    private(set) var head: Int32 = -1
    /// The least recently used slot, or -1.
    private(set) var tail: Int32 = -1
    private(set) var count = 0

    /// The element in `slot`; `nil` for a free slot. Mutations happen in place.
    subscript(slot: Int32) -> Element? {
        get { slots[Int(slot)] }
        _modify { yield &slots[Int(slot)] }
    }

    /// Adds `element` as the most recently used and returns its slot.
    mutating func insert(_ element: Element) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            slots[Int(slot)] = element
        } else {
            slot = Int32(slots.count)
            slots.append(element)
            previous.append(-1)
            next.append(-1)
        }
        linkAtHead(slot)
        count += 1
        return slot
    }

    /// Marks `slot` as the most recently used.
    @inline(__always)
    mutating func touch(_ slot: Int32) {
        guard slot != head else { return }
        unlink(slot)
        linkAtHead(slot)
    }

    /// Removes the element in `slot` and frees the slot.
    @discardableResult
    mutating func remove(_ slot: Int32) -> Element? {
        guard let element = slots[Int(slot)] else { return nil }
        unlink(slot)
        slots[Int(slot)] = nil
        free.append(slot)
        count -= 1
        return element
    }

    mutating func removeAll() {
        self = RecencyList()
    }

    private mutating func unlink(_ slot: Int32) {
        let before = previous[Int(slot)]
        let after = next[Int(slot)]
        if before >= 0 { next[Int(before)] = after } else { head = after }
        if after >= 0 { previous[Int(after)] = before } else { tail = before }
    }

    private mutating func linkAtHead(_ slot: Int32) {
        previous[Int(slot)] = -1
        next[Int(slot)] = head
        if head >= 0 { previous[Int(head)] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}

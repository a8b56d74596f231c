/// The one least-recently-used list of the cache, used by the memory tier (entries by key) and
/// the disk index (records by digest): elements in array slots threaded by a doubly linked list
/// in recency order. Insert, touch, remove and "least recently used" are all O(1) with no
/// allocation once the array has grown.
///
/// Slots are `Int32` indices that stay valid until the element is removed, so other structures
/// can link to an element by slot (the memory tier and the disk index link to each other). The
/// links live beside the element in one node, so a touch reads the element and rewrites its
/// links in a few nearby words. Elements are meant to be small plain values (numbers, stamps,
/// slots): a read copies one, which for such a value is a few loads, while a reference-counted
/// field would cost a retain and a release on every read. The memory tier keeps its keys and
/// values beside the list, in arrays indexed by the same slots.
struct RecencyList<Element> {
    private struct Node {
        var element: Element?
        var previous: Int32
        var next: Int32
    }

    private var nodes: [Node] = []
    private var free: [Int32] = []
    /// The most recently used slot, or -1.
    private(set) var head: Int32 = -1
    /// The least recently used slot, or -1.
    private(set) var tail: Int32 = -1
    private(set) var count = 0

    /// Every slot handed out so far is below this, the free ones included: `0..<slotCount` with
    /// the subscript visits every element.
    var slotCount: Int { nodes.count }

    /// The element in `slot`; `nil` for a free slot. Writes happen in place.
    subscript(slot: Int32) -> Element? {
        get { nodes[Int(slot)].element }
        _modify { yield &nodes[Int(slot)].element }
    }

    /// Adds `element` as the most recently used and returns its slot: a freed one if there is one,
    /// else `slotCount` before the call.
    mutating func insert(_ element: Element) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            nodes[Int(slot)].element = element
        } else {
            slot = Int32(nodes.count)
            nodes.append(Node(element: element, previous: -1, next: -1))
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

    /// Removes the element in `slot` and frees the slot; `nil` when the slot was free already.
    @discardableResult
    mutating func remove(_ slot: Int32) -> Element? {
        guard let element = nodes[Int(slot)].element else { return nil }
        unlink(slot)
        nodes[Int(slot)].element = nil
        free.append(slot)
        count -= 1
        return element
    }

    mutating func removeAll() {
        self = RecencyList()
    }

    @inline(__always)
    private mutating func unlink(_ slot: Int32) {
        let (before, after) = nodes.withUnsafeMutableBufferPointer { nodes in
            let before = nodes[Int(slot)].previous
            let after = nodes[Int(slot)].next
            if before >= 0 { nodes[Int(before)].next = after }
            if after >= 0 { nodes[Int(after)].previous = before }
            return (before, after)
        }
        if before < 0 { head = after }
        if after < 0 { tail = before }
    }

    @inline(__always)
    private mutating func linkAtHead(_ slot: Int32) {
        let oldHead = head
        nodes.withUnsafeMutableBufferPointer { nodes in
            nodes[Int(slot)].previous = -1
            nodes[Int(slot)].next = oldHead
            if oldHead >= 0 { nodes[Int(oldHead)].previous = slot }
        }
        head = slot
        if tail < 0 { tail = slot }
    }
}

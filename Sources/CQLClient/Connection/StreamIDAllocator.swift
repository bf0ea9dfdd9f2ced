/// Hands out the stream ids that tell concurrent requests on one connection apart.
///
/// Ids are non-negative [short]s (negative ones belong to server events), so a
/// connection has at most 32768 requests in flight. Released ids are reused first.
struct StreamIDAllocator {
    static let capacity = Int(Int16.max) + 1

    private var released: [Int16] = []
    private var nextUnused = 0

    mutating func allocate() -> Int16? {
        if let id = released.popLast() {
            return id
        }
        guard nextUnused < Self.capacity else { return nil }
        defer { nextUnused += 1 }
        return Int16(nextUnused)
    }

    mutating func release(_ id: Int16) {
        released.append(id)
    }
}

// The collector's body reader, in both formats, and the Content-Type it is chosen by.
// Invariants: NDJSON gives at most one element per line; a JSON array's failures point inside
// the body; every event read keeps only non-empty fields.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = IntakeBody.Format(contentType: String(decoding: bytes.prefix(64), as: UTF8.self))
    let lines = bytes.split(separator: 10, omittingEmptySubsequences: true).count
    if let elements = try? IntakeBody.read(bytes, format: .ndjson) {
        require(elements.count <= lines, "\(elements.count) elements from \(lines) lines")
        for case .success(let event) in elements { checkEvent(event) }
    } else {
        fatalError("NDJSON never fails as a whole")
    }
    do {
        for element in try IntakeBody.read(bytes, format: .jsonArray) {
            switch element {
            case .success(let event): checkEvent(event)
            case .failure(let error): require(error.offset >= 0 && error.offset < size)
            }
        }
    } catch {
        require(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside 0...\(size)")
    }
    return 0
}

func checkEvent(_ event: RawEvent) {
    for value in event.values { require(value.map { !$0.isEmpty } ?? true, "an empty field kept") }
    _ = Normalization.normalize(event)
}

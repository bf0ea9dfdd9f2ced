// The collector's body reader, in both formats, and the Content-Type it is chosen by.
// Invariants: NDJSON gives at most one element per line; a JSON array's failures point inside
// the body; every event read keeps only non-empty fields.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = IntakeBody.Format(contentType: String(decoding: bytes.prefix(64), as: UTF8.self))
    let lines = bytes.split(separator: 10, omittingEmptySubsequences: true).count
    if let elements = try? IntakeBody.read(bytes, format: .ndjson) {
        precondition(elements.count <= lines, "\(elements.count) elements from \(lines) lines")
        for case .success(let event) in elements { check(event) }
    } else {
        fatalError("NDJSON never fails as a whole")
    }
    do {
        for element in try IntakeBody.read(bytes, format: .jsonArray) {
            switch element {
            case .success(let event): check(event)
            case .failure(let error): precondition(error.offset >= 0 && error.offset < size)
            }
        }
    } catch {
        precondition(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside 0...\(size)")
    }
    return 0
}

func check(_ event: RawEvent) {
    for value in event.values { precondition(value.map { !$0.isEmpty } ?? true, "an empty field kept") }
    _ = Normalization.normalize(event)
}

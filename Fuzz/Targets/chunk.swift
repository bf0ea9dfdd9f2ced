// A raw event chunk as the lake reads it back: any bytes decode to events or to an error, never
// a crash or a read past the input. Invariant: the decoded events, encoded again, decode to the
// same events (the bytes may differ: a decoder accepts longer varints and empty values).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let events = try? RawEventChunk.decode(bytes) else { return 0 }
    require(events.count <= RawEventChunk.maxEvents, "more events than a chunk holds")
    let encoded = RawEventChunk.encode(events)
    let again = try? RawEventChunk.decode(encoded)
    require(again == events, "a decoded chunk did not survive encoding")
    return 0
}

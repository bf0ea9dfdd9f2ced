// The ts parser and admission. Input: 8 bytes of `now`, then the ts text. Invariants: a parsed
// time is within 1970 to 9999 and survives a round trip through the warehouse's own format;
// admission agrees with the parse and with the tolerance, and says how far ahead it was.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var now: Int64 = 0
    for byte in bytes.prefix(8) { now = now << 8 | Int64(byte) }
    let text = String(decoding: bytes.dropFirst(8), as: UTF8.self)
    let parsed = EventTime.parse(text)
    if case .success(let millis) = parsed {
        require(millis >= 0 && millis <= 253_402_300_799_999, "\(millis) out of range")
        let again = EventTime.parse(Timestamp.sql(millis))
        require(again == .success(millis), "\(text) -> \(millis) -> \(Timestamp.sql(millis)) -> \(again)")
        _ = UTCHour(epochMilliseconds: millis).date
    }
    var event = RawEvent()
    event[.ts] = text
    let tolerance = Int64(bytes.count > 8 ? bytes[8] : 0) * 60_000
    let verdict = Admission(futureTolerance: tolerance).check(event, now: now)
    switch (parsed, verdict) {
    case (.failure(let error), let verdict):
        require(verdict == error, "admission \(String(describing: verdict)) but parse \(error)")
    case (.success(let millis), nil):
        let (latest, overflow) = now.addingReportingOverflow(tolerance)
        require(overflow || millis <= latest, "\(millis) admitted past \(latest)")
    case (.success(let millis), .inFuture(_, let ahead, _)?):
        require(millis > now &+ tolerance, "\(millis) refused within the tolerance")
        let real = millis.subtractingReportingOverflow(now), shown = ahead.multipliedReportingOverflow(by: 1000)
        require(real.overflow || shown.overflow || shown.partialValue >= real.partialValue, "ahead \(ahead) s understated")
    case (.success, let verdict?):
        fatalError("a readable ts refused as \(verdict)")
    }
    _ = verdict?.description
    return 0
}

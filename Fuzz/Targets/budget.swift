// The budget's fields as `PUT /api/budgets` and `jobpulse budget set` read them: the amount, the
// currency note, the days and the period. Input: lines (amount, currency, period, first day,
// last day), then the last 8 bytes as `now`. Invariants: an amount reads back the same from its
// own decimal form; a day survives a round trip; a period's window holds `now` (a day or a
// calendar month long), and a lifetime's never ends before it starts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var now: Int64 = 0
    for byte in bytes.suffix(8) { now = now << 8 | Int64(byte) }
    now = max(0, min(now, 253_402_300_799_999))
    let lines = bytes.dropLast(min(8, bytes.count)).split(separator: 0x0A, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    func line(_ index: Int) -> String? { index < lines.count ? lines[index] : nil }

    if case .success(let micros) = Budget.amountMicros(line(0) ?? "") {
        require(micros > 0 && micros < 1_000_000_000_000_000_000, "amount \(micros) out of range")
        let fraction = String(micros % 1_000_000)
        let text = "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
        require(Budget.amountMicros(text) == .success(micros), "\(micros) does not read back from \(text)")
    }
    if case .success(let currency) = Budget.currency(line(1) ?? "") {
        require((1...8).contains(currency.count) && currency == currency.uppercased(), "currency \(currency)")
    }
    for text in [line(3), line(4)].compactMap({ $0 }) {
        guard let day = UTCDay(text) else { continue }
        require(day.description == text, "\(text) reads as \(day)")
        require(UTCDay(epochMilliseconds: day.startMilliseconds) == day && day.firstOfMonth <= day && day < day.firstOfNextMonth, "\(day)")
    }
    guard case .success(let period) = BudgetPeriod.parse(line(2) ?? "", from: line(3), through: line(4)) else { return 0 }
    let (start, end) = period.window(at: now)
    switch period {
    case .daily:
        require(end == start + UTCDay.milliseconds && start <= now && now < start + UTCDay.milliseconds, "day \(start) for \(now)")
    case .monthly:
        let length = (end ?? start) - start
        require(start <= now && now < start + length && (28...31).contains(length / UTCDay.milliseconds), "month \(start)..\(end ?? -1)")
    case .lifetime(let from, let through):
        require(start == from.startMilliseconds && (through.map { end == $0.adding(days: 1).startMilliseconds && $0 >= from } ?? (end == nil)), "lifetime")
    }
    _ = period.name
    return 0
}

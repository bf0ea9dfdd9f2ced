/// One UTC calendar day: the unit of budget periods (a daily budget, a lifetime from one day
/// through another).
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole days since 1970-01-01.
    public let daysSinceEpoch: Int64

    public init(daysSinceEpoch: Int64) { self.daysSinceEpoch = daysSinceEpoch }

    /// The day that holds an instant given in epoch milliseconds.
    public init(epochMilliseconds: Int64) {
        daysSinceEpoch = epochMilliseconds >= 0 ? epochMilliseconds / Self.milliseconds : (epochMilliseconds - Self.milliseconds + 1) / Self.milliseconds
    }

    /// Reads exactly `YYYY-MM-DD`, a real date from 1970-01-01 to 9999-12-31; `nil` otherwise.
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.digits(bytes[0..<4]), let month = Self.digits(bytes[5..<7]), let day = Self.digits(bytes[8..<10]),
            year >= 1970, (1...12).contains(month), day >= 1, day <= EventTime.daysIn(month: month, year: year)
        else { return nil }
        daysSinceEpoch = EventTime.daysFromCivil(year: year, month: month, day: day)
    }

    /// Milliseconds in a day.
    public static let milliseconds: Int64 = 86_400_000

    /// 00:00 of this day, in epoch milliseconds.
    public var startMilliseconds: Int64 { daysSinceEpoch * Self.milliseconds }

    /// The first day of this day's month.
    public var firstOfMonth: UTCDay {
        let (year, month, _) = EventTime.civilFromDays(daysSinceEpoch)
        return UTCDay(daysSinceEpoch: EventTime.daysFromCivil(year: year, month: month, day: 1))
    }

    /// The first day of the next month.
    public var firstOfNextMonth: UTCDay {
        let (year, month, _) = EventTime.civilFromDays(daysSinceEpoch)
        return UTCDay(daysSinceEpoch: EventTime.daysFromCivil(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1))
    }

    public func adding(days: Int64) -> UTCDay { UTCDay(daysSinceEpoch: daysSinceEpoch + days) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = EventTime.civilFromDays(daysSinceEpoch)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }
}

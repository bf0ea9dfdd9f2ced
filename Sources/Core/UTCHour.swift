/// One UTC hour, the time part of the grain: `dates` and `hours` in the warehouse.
public struct UTCHour: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whole hours since 1970-01-01T00:00Z.
    public let hoursSinceEpoch: Int64

    public init(hoursSinceEpoch: Int64) { self.hoursSinceEpoch = hoursSinceEpoch }

    /// The hour that holds an instant given in epoch milliseconds.
    public init(epochMilliseconds: Int64) {
        hoursSinceEpoch =
            epochMilliseconds >= 0
            ? epochMilliseconds / 3_600_000
            : (epochMilliseconds - 3_599_999) / 3_600_000
    }

    /// The hour at `date` (`YYYY-MM-DD`) and `hour` (0 to 23), as stored in the warehouse.
    public init?(date: String, hour: Int) {
        guard hour >= 0, hour < 24, case .success(let ms) = EventTime.parse(date + " 00:00:00") else { return nil }
        self.init(hoursSinceEpoch: ms / 3_600_000 + Int64(hour))
    }

    public var epochSeconds: Int64 { hoursSinceEpoch * 3600 }

    /// `YYYY-MM-DD`, the warehouse's `dates`.
    public var date: String {
        let (y, m, d) = EventTime.civilFromDays(hoursSinceEpoch >= 0 ? hoursSinceEpoch / 24 : (hoursSinceEpoch - 23) / 24)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// 0 to 23, the warehouse's `hours`.
    public var hour: Int { Int(((hoursSinceEpoch % 24) + 24) % 24) }

    /// `YYYY-MM-DD HH:00:00`, the start of the hour as an SQL date-time.
    public var sqlDateTime: String { "\(date) \(pad(hour, 2)):00:00" }

    /// `YYYY-MM-DDTHH:00:00Z`.
    public var iso8601: String { "\(date)T\(pad(hour, 2)):00:00Z" }

    public var description: String { iso8601 }

    public static func < (lhs: UTCHour, rhs: UTCHour) -> Bool { lhs.hoursSinceEpoch < rhs.hoursSinceEpoch }
}

func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

#if MySQL
import CMariaDB

extension MYSQL_TIME {
    /// A `DATE` parameter.
    init(_ date: MariaDBDate) {
        self.init()
        year = UInt32(clamping: date.year)
        month = UInt32(clamping: date.month)
        day = UInt32(clamping: date.day)
        time_type = MYSQL_TIMESTAMP_DATE
    }

    /// A `DATETIME` parameter in UTC, rounded to the microsecond (the server's finest precision).
    init(secondsSince1970: Double) {
        self.init()
        let totalMicroseconds = Int64((secondsSince1970 * 1_000_000).rounded())
        let (seconds, microseconds) = floorDivide(totalMicroseconds, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, CivilCalendar.secondsPerDay)
        let date = CivilCalendar.date(daysSinceEpoch: days)
        year = UInt32(clamping: date.year)
        month = UInt32(date.month)
        day = UInt32(date.day)
        hour = UInt32(secondOfDay / 3600)
        minute = UInt32(secondOfDay % 3600 / 60)
        second = UInt32(secondOfDay % 60)
        second_part = UInt(microseconds)
        time_type = MYSQL_TIMESTAMP_DATETIME
    }

    /// `true` for MySQL's "zero" date `0000-00-00`, which names no day.
    var isZeroDate: Bool {
        year == 0 && month == 0 && day == 0
    }

    var date: MariaDBDate {
        MariaDBDate(year: Int(year), month: Int(month), day: Int(day))
    }

    var secondsSince1970: Double {
        let days = CivilCalendar.daysSinceEpoch(year: Int(year), month: Int(month), day: Int(day))
        let seconds = days * CivilCalendar.secondsPerDay + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
        return Double(seconds) + Double(second_part) / 1_000_000
    }

    /// A `TIME` value as `[-]HH:MM:SS[.ffffff]`; hours may exceed 23 because a `TIME` is a duration.
    var timeText: String {
        var text = neg != 0 ? "-" : ""
        text += "\(zeroPadded(Int(day) * 24 + Int(hour), width: 2)):"
        text += "\(zeroPadded(Int(minute), width: 2)):\(zeroPadded(Int(second), width: 2))"
        if second_part > 0 {
            text += "." + zeroPadded(Int(second_part), width: 6)
        }
        return text
    }
}

private func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
    let remainder = value % divisor
    return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
}
#endif

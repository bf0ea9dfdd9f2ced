/// Rule 5 and 6: reading an event's `ts` and placing it in a UTC date and hour.
///
/// Accepted forms, and nothing else:
/// - `YYYY-MM-DD HH:MM:SS[.fraction]`, read as UTC (the tracking log's own form);
/// - ISO 8601 with a zone: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM)`;
/// - an integer epoch, read by its magnitude: below ``secondsBelow`` (100,000,000,000) it is in
///   seconds, at or above it in milliseconds. Senders use both; ten digits of seconds
///   (`1764410400`) read as milliseconds would put an event in January 1970. Seconds reach
///   until the year 5138 this way, so the only times lost are epoch milliseconds before
///   1973-03-03 09:46:40 UTC, which no tracking log holds: those are not supported.
///
/// Times before 1970 or after 9999 are refused: no warehouse date type holds them.
/// Fractions finer than a millisecond are truncated. How far ahead of the clock an event may
/// be is ``Admission``'s rule, not the parser's: reading a ts never depends on the time.
public enum EventTime {
    /// Why a `ts` could not be read; the message names the field and the value.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case missing
        case unreadable(String)
        case outOfRange(String)
        /// Readable, but later than the receiving clock allows (see ``Admission``).
        case inFuture(String, secondsAhead: Int64, toleranceSeconds: Int64)

        public var description: String {
            switch self {
            case .missing: "ts is missing"
            case .unreadable(let text):
                "ts \(quoted(text)) is not a date-time (expected YYYY-MM-DD HH:MM:SS[.fff], ISO 8601 with a zone, or epoch seconds or milliseconds)"
            case .outOfRange(let text): "ts \(quoted(text)) is outside 1970-01-01 to 9999-12-31"
            case .inFuture(let text, let ahead, let tolerance):
                "ts \(quoted(text)) is \(ahead) s ahead of the clock that received it (at most \(tolerance) s is accepted)"
            }
        }

        private func quoted(_ text: String) -> String {
            let shown = text.count > 60 ? String(text.prefix(60)) + "…" : text
            return "\"\(shown)\""
        }
    }

    /// The last instant an event time can be: 9999-12-31T23:59:59.999Z.
    public static let maxMilliseconds: Int64 = 253_402_300_799_999

    /// An integer epoch below this is in seconds, at or above it in milliseconds: as seconds it
    /// is 5138-11-16 09:46:40 UTC, as milliseconds 1973-03-03 09:46:40 UTC.
    public static let secondsBelow: Int64 = 100_000_000_000

    /// Epoch milliseconds of `text`, or the reason it is not a time.
    public static func parse(_ text: String?) -> Result<Int64, ParseError> {
        guard let text, !text.isEmpty else { return .failure(.missing) }
        var utf8 = Array(text.utf8)
        let result: Int64? = utf8.withUnsafeMutableBufferPointer { parse(bytes: UnsafeBufferPointer($0)) }
        guard let millis = result else {
            return .failure(Self.isEpochForm(text) ? .outOfRange(text) : .unreadable(text))
        }
        guard millis >= 0, millis <= maxMilliseconds else { return .failure(.outOfRange(text)) }
        return .success(millis)
    }

    private static func isEpochForm(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    private static func parse(bytes b: UnsafeBufferPointer<UInt8>) -> Int64? {
        if b.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard b.count <= 15 else { return nil }  // 16 digits of milliseconds pass the year 9999
            let value = b.reduce(Int64(0)) { $0 * 10 + Int64($1 - 48) }
            return value < secondsBelow ? value * 1000 : value
        }
        // YYYY-MM-DD?HH:MM:SS
        guard b.count >= 19, b[4] == 45, b[7] == 45, b[13] == 58, b[16] == 58,
            let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
            let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2),
            year >= 1970, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let isoForm: Bool
        switch b[10] {
        case 32: isoForm = false  // ' '
        case 84: isoForm = true  // 'T'
        default: return nil
        }
        var i = 19
        var millis: Int64 = 0
        if i < b.count, b[i] == 46 {  // '.'
            i += 1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
            let count = i - start
            guard (1...9).contains(count) else { return nil }
            for k in 0..<3 { millis = millis * 10 + (k < count ? Int64(b[start + k] - 48) : 0) }
        }
        var offsetSeconds: Int64 = 0
        if isoForm {
            guard i < b.count else { return nil }
            if b[i] == 90, i + 1 == b.count {  // 'Z'
                i += 1
            } else if b[i] == 43 || b[i] == 45 {  // '+' or '-'
                let sign: Int64 = b[i] == 43 ? 1 : -1
                let rest = b.count - i - 1
                let hasColon = rest == 5 && b[i + 3] == 58
                guard rest == 4 || hasColon,
                    let offH = digits(b, i + 1, 2), let offM = digits(b, hasColon ? i + 4 : i + 3, 2),
                    offH < 24, offM < 60
                else { return nil }
                offsetSeconds = sign * Int64(offH * 3600 + offM * 60)
                i = b.count
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - offsetSeconds
        return seconds * 1000 + millis
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for k in start..<(start + count) {
            let c = b[k]
            guard c >= 48, c <= 57 else { return nil }
            value = value * 10 + Int(c - 48)
        }
        return value
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The proleptic Gregorian date of a count of days since 1970-01-01.
    static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = Int(doy - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yoe + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}

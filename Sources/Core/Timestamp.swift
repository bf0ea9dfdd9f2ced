/// Formats instants (epoch milliseconds) the way the warehouse and the API write them.
public enum Timestamp {
    /// `YYYY-MM-DD HH:MM:SS.fff`, UTC: an SQL date-time.
    public static func sql(_ millis: Int64) -> String {
        let (date, time) = parts(millis)
        return date + " " + time
    }

    /// `YYYY-MM-DDTHH:MM:SS.fffZ`.
    public static func iso8601(_ millis: Int64) -> String {
        let (date, time) = parts(millis)
        return date + "T" + time + "Z"
    }

    private static func parts(_ millis: Int64) -> (String, String) {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        let hour = UTCHour(epochMilliseconds: millis)
        let inHour = Int(seconds - hour.epochSeconds)
        return (hour.date, "\(pad(hour.hour, 2)):\(pad(inHour / 60, 2)):\(pad(inHour % 60, 2)).\(pad(ms, 3))")
    }
}

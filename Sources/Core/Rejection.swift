/// An input row that was not accepted, kept with the reason so that nothing is lost silently.
public struct Rejection: Sendable, Hashable, CustomStringConvertible {
    /// Where the row came from: a file name, `http`, `generator`.
    public var origin: String
    /// The 1-based line in a file, or the 0-based index in a request body.
    public var location: Int
    public var reason: String
    /// The row as it arrived, for inspection and replay.
    public var raw: String

    public init(origin: String, location: Int, reason: String, raw: String) {
        self.origin = origin
        self.location = location
        self.reason = reason
        self.raw = raw
    }

    public var description: String { "\(origin):\(location): \(reason)" }
}

/// The checks an event must pass to enter the lake: a readable `ts` (rule 5) that is not later
/// than the receiving clock allows. Everything else about an event is normalized, never refused.
///
/// Core has no clock: the caller gives `now`. A ts far ahead of it (`9999-12-31 23:59:59`, or
/// seconds read as a time in the year 5000) would sit in an hour no dashboard shows and hold the
/// data's age at zero for ever, so it is refused with how far ahead it was. The tolerance
/// absorbs senders' clocks running fast.
public struct Admission: Sendable {
    /// One hour, in milliseconds: far more than any clock drift, far less than a wrong unit.
    public static let defaultFutureTolerance: Int64 = 3_600_000

    /// How far past `now` a ts may lie, in milliseconds.
    public var futureTolerance: Int64

    public init(futureTolerance: Int64 = Admission.defaultFutureTolerance) {
        self.futureTolerance = max(0, futureTolerance)
    }

    /// Why `event` may not enter the lake at `now` (epoch milliseconds), or `nil` when it may.
    public func check(_ event: RawEvent, now: Int64) -> EventTime.ParseError? {
        if case .failure(let error) = admit(event, now: now) { return error }
        return nil
    }

    /// `event` typed by the normalization rules when it may enter the lake at `now` (epoch
    /// milliseconds), or why it may not. A ts exactly `futureTolerance` ahead is accepted; one
    /// millisecond more is not. The `ts` is read once, for both.
    public func admit(_ event: RawEvent, now: Int64) -> Result<AdmittedEvent, EventTime.ParseError> {
        switch EventTime.parse(event[.ts]) {
        case .failure(let error):
            return .failure(error)
        case .success(let time):
            let (latest, overflow) = now.addingReportingOverflow(futureTolerance)
            guard !overflow, time > latest else {
                return .success(AdmittedEvent(raw: event, normalized: Normalization.normalize(event, eventTime: time)))
            }
            // Rounded up, so that a refused ts never reads as exactly the tolerance ahead.
            let ahead = time.subtractingReportingOverflow(now)
            let seconds = ahead.overflow ? Int64.max / 1000 : ahead.partialValue / 1000 + (ahead.partialValue % 1000 == 0 ? 0 : 1)
            return .failure(.inFuture(event[.ts] ?? "", secondsAhead: seconds, toleranceSeconds: futureTolerance / 1000))
        }
    }
}

/// `received = accepted + rejected`, for one import or one ingestion call.
public struct IntakeCount: Sendable, Hashable, Codable {
    public var accepted: Int = 0
    public var rejected: Int = 0
    public var received: Int { accepted + rejected }

    public init(accepted: Int = 0, rejected: Int = 0) {
        self.accepted = accepted
        self.rejected = rejected
    }

    public static func += (lhs: inout IntakeCount, rhs: IntakeCount) {
        lhs.accepted += rhs.accepted
        lhs.rejected += rhs.rejected
    }
}

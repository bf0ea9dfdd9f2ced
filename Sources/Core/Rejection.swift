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

/// The one check an event must pass to enter the lake: a readable `ts` (rule 5). Everything else
/// about an event is normalized, never refused.
public enum Admission {
    public static func check(_ event: RawEvent) -> EventTime.ParseError? {
        if case .failure(let error) = EventTime.parse(event[.ts]) { return error }
        return nil
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

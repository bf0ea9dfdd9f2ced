/// A tracking event after the normalization rules: what the funnel metrics are made of.
public struct NormalizedEvent: Sendable, Hashable {
    public var kind: EventKind
    public var jobID: Int32
    public var publisherID: Int32
    public var campaignID: Int32
    public var groupID: Int32
    /// The bid in millionths, so that sums of money are exact whatever the batch boundaries.
    public var bidMicros: Int64
    /// Event time, epoch milliseconds UTC.
    public var eventTime: Int64

    public var hour: UTCHour { UTCHour(epochMilliseconds: eventTime) }

    public init(kind: EventKind, jobID: Int32, publisherID: Int32, campaignID: Int32, groupID: Int32, bidMicros: Int64, eventTime: Int64) {
        self.kind = kind
        self.jobID = jobID
        self.publisherID = publisherID
        self.campaignID = campaignID
        self.groupID = groupID
        self.bidMicros = bidMicros
        self.eventTime = eventTime
    }
}

/// The normalization rules of the design, applied to one raw event when it is admitted (and by
/// `jobpulse reprocess`). The lake stores their result; no engine applies them again.
public enum Normalization {
    /// Normalizes an event, or gives the reason it cannot be accepted (only a missing or
    /// unreadable `ts` rejects an event).
    public static func normalize(_ event: RawEvent) -> Result<NormalizedEvent, EventTime.ParseError> {
        switch EventTime.parse(event[.ts]) {
        case .failure(let error): return .failure(error)
        case .success(let time): return .success(normalize(event, eventTime: time))
        }
    }

    /// Normalizes an event whose `ts` is already known to be readable.
    public static func normalize(_ event: RawEvent, eventTime: Int64) -> NormalizedEvent {
        // `ed` is read only when a column leaves a question open: most server-side rows never
        // need it, and reading it is the dearest part of the rules.
        var parsed: EventDetails?
        func details() -> EventDetails {
            if let parsed { return parsed }
            let details = EventDetails(json: event[.ed])
            parsed = details
            return details
        }
        // Rule 1: the column, else ed.customEvent.
        let kindName: String? =
            event[.customTrack]
            ?? {
                if case .string(let name) = details()["customEvent"] { return name }
                return nil
            }()
        return NormalizedEvent(
            kind: EventKind(name: kindName),
            jobID: identifier(event[.jobID]) { details()["jobId"] },
            publisherID: identifier(event[.publisherID]) { details()["publisherId"] },
            campaignID: identifier(event[.campaignID]) { details()["campaignId"] },
            groupID: identifier(event[.groupID]) { details()["groupId"] },
            bidMicros: bidMicros(event[.bid]),
            eventTime: eventTime
        )
    }

    /// Rules 2 and 3: the column when it holds one integer; else the `ed` member when it is one
    /// integer or a string of one; else 0 (unattributed).
    static func identifier(_ column: String?, _ detail: () -> FlatJSON.Value?) -> Int32 {
        if let id = integerID(column) { return id }
        switch detail() {
        case .string(let text): return integerID(text) ?? 0
        case .number(let literal): return integerID(literal) ?? 0
        default: return 0
        }
    }

    /// One integer: ASCII digits only, no sign, no separators, fitting a 32-bit warehouse INT.
    /// `"191"` is one; `"4,1,2,3,5"`, `"191.0"`, `"-3"` and `" 7"` are not.
    public static func integerID(_ text: String?) -> Int32? {
        guard let text, !text.isEmpty, text.utf8.count <= 10 else { return nil }
        var value: Int64 = 0
        for c in text.utf8 {
            guard c >= 48, c <= 57 else { return nil }
            value = value * 10 + Int64(c - 48)
        }
        return value <= Int64(Int32.max) ? Int32(value) : nil
    }

    /// Rule 4: a non-negative decimal (`12`, `0.35`, `.5`), in millionths; anything else is 0.
    /// Digits past the sixth decimal are dropped.
    public static func bidMicros(_ text: String?) -> Int64 {
        guard let text, !text.isEmpty else { return 0 }
        var whole: Int64 = 0
        var wholeDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for c in text.utf8 {
            if c == 46 {
                if seenPoint { return 0 }
                seenPoint = true
            } else if c >= 48, c <= 57 {
                if seenPoint {
                    if fractionDigits < 6 { fraction = fraction * 10 + Int64(c - 48) }
                    fractionDigits += 1
                } else {
                    wholeDigits += 1
                    if wholeDigits > 12 { return 0 }
                    whole = whole * 10 + Int64(c - 48)
                }
            } else {
                return 0
            }
        }
        guard wholeDigits + fractionDigits > 0 else { return 0 }
        for _ in min(fractionDigits, 6)..<6 { fraction *= 10 }
        return whole * 1_000_000 + fraction
    }
}

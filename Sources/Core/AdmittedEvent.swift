/// An event on its way into the lake: exactly as it arrived, and typed by the normalization
/// rules when it was admitted.
///
/// The lake stores both. Engines aggregate the typed values and never read the raw fields; the
/// raw fields are kept so that the quarantine, audits and `jobpulse reprocess` (after a change of
/// the rules) can read them again.
public struct AdmittedEvent: Sendable, Hashable {
    public var raw: RawEvent
    /// `nil` when the rules cannot read the event's `ts` (admission refuses such events, so only
    /// a lake written by other means, or reprocessed under stricter rules, holds one).
    public var normalized: NormalizedEvent?

    public init(raw: RawEvent, normalized: NormalizedEvent?) {
        self.raw = raw
        self.normalized = normalized
    }

    /// Types `raw` with the rules.
    public init(_ raw: RawEvent) {
        self.raw = raw
        if case .success(let event) = Normalization.normalize(raw) { normalized = event } else { normalized = nil }
    }
}

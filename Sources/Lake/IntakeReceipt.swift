import JobPulseCore

/// What an intake answered: its counts, the location and reason of each rejected row, and a
/// fingerprint of what was sent. A lake keeps it with the intake's key, so that a retry under
/// the same key is answered with exactly the first answer.
public struct IntakeReceipt: Sendable, Hashable, Codable {
    public struct RejectedRow: Sendable, Hashable, Codable {
        public var location: Int
        public var reason: String

        public init(location: Int, reason: String) {
            self.location = location
            self.reason = reason
        }
    }

    public var accepted: Int
    public var rejectedRows: [RejectedRow]
    /// A digest of the request the intake came from (its body), so that a key reused for other
    /// content can be told from a retry; `nil` when the sender has none to give.
    public var fingerprint: String?

    public init(accepted: Int, rejectedRows: [RejectedRow], fingerprint: String?) {
        self.accepted = accepted
        self.rejectedRows = rejectedRows
        self.fingerprint = fingerprint
    }

    public var count: IntakeCount { IntakeCount(accepted: accepted, rejected: rejectedRows.count) }
}

/// One intake as a lake stores it: accepted events, rejected rows, and optionally the key that
/// names it.
public struct LakeWrite: Sendable {
    public var events: [AdmittedEvent]
    public var rejections: [Rejection]
    public var key: IntakeKey?
    /// Kept in the receipt under `key`: a digest of the request the intake came from.
    public var fingerprint: String?

    public init(events: [AdmittedEvent], rejections: [Rejection], key: IntakeKey? = nil, fingerprint: String? = nil) {
        self.events = events
        self.rejections = rejections
        self.key = key
        self.fingerprint = fingerprint
    }

    /// The answer this intake gives, derived from what it stores so the two cannot differ.
    public var receipt: IntakeReceipt {
        IntakeReceipt(
            accepted: events.count,
            rejectedRows: rejections.map { IntakeReceipt.RejectedRow(location: $0.location, reason: $0.reason) },
            fingerprint: fingerprint)
    }
}

/// What became of one ``LakeWrite``.
public enum LakeWriteOutcome: Sendable, Hashable {
    /// Its events and rejections are stored, and its key (if any) recorded with its receipt.
    case stored
    /// Its key was already recorded within the lake's window: nothing of it was stored; this is
    /// the receipt of the intake that recorded the key.
    case replayed(IntakeReceipt)
}

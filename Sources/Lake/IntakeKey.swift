/// The name a sender gives one intake (the `Idempotency-Key` of a `POST /v1/events`), so that
/// sending the same intake again stores nothing new and gets the first answer.
///
/// A lake keeps each key, with the first intake's ``IntakeReceipt``, for at least
/// ``defaultWindow`` (24 hours) unless it is opened with another window; a retry after that is a
/// new intake. Keys are kept in the lake itself, written with the events they cover, so that
/// collector restarts and collector replicas sharing one lake all see them.
public struct IntakeKey: Sendable, Hashable, CustomStringConvertible {
    /// Longest key accepted, in characters.
    public static let maxLength = 255
    /// How long a lake remembers a key unless it is opened with another window.
    public static let defaultWindow: Duration = .seconds(24 * 3600)

    public let text: String

    /// A key of 1 to 255 printable ASCII characters (space to `~`), or `nil`: keys are bounded
    /// because every one is stored, and plain ASCII because they travel in an HTTP header.
    public init?(_ text: String) {
        let bytes = text.utf8
        guard (1...Self.maxLength).contains(bytes.count), bytes.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
        self.text = text
    }

    public var description: String { text }
}

/// Why a keyed intake can be neither stored nor answered now.
public enum IntakeKeyError: Error, CustomStringConvertible {
    /// Another intake with this key is being written (or its writer stopped part-way and the
    /// claim is not yet old enough to be taken over); sending again after `retryAfter` will get
    /// its answer.
    case inProgress(IntakeKey, retryAfter: Duration)
    /// The key names an intake with other content; it will never be this one's.
    case reusedForOtherContent(IntakeKey)

    public var description: String {
        switch self {
        case .inProgress(let key, let retryAfter):
            "an intake with key \"\(key)\" is still being written; send it again in \(retryAfter.components.seconds + 1) s"
        case .reusedForOtherContent(let key):
            "key \"\(key)\" was used for a request with other content"
        }
    }
}

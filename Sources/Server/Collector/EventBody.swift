import JobPulseCore

/// The server's side of a `POST /v1/events` body. Reading it is ``IntakeBody``'s job (in Core,
/// where it can be fuzzed); what stays here is the server's.
enum EventBody {
    /// One element of the body: an event, or why it is not one.
    typealias Element = IntakeBody.Element

    /// An event as JSON, for the quarantine.
    static func json(_ event: RawEvent) -> String {
        var members: [(String, String)] = []
        for field in TrackingField.allCases { if let value = event[field] { members.append((field.rawValue, value)) } }
        members += event.extra.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return "{" + members.map { JSONText.quoted($0.0) + ":" + JSONText.quoted($0.1) }.joined(separator: ",") + "}"
    }
}

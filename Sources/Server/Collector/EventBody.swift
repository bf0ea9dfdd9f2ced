import JobPulseCore

/// The server's side of a `POST /v1/events` body. Reading it is ``IntakeBody``'s job (in Core,
/// where it can be fuzzed); what stays here needs the server's JSON writer.
enum EventBody {
    /// One element of the body: an event, or why it is not one.
    typealias Element = IntakeBody.Element

    /// An event as JSON, for the quarantine.
    static func json(_ event: RawEvent) -> String {
        var members: [(String, JSONValue)] = []
        for field in TrackingField.allCases { if let value = event[field] { members.append((field.rawValue, .string(value))) } }
        for (name, value) in event.extra.sorted(by: { $0.key < $1.key }) { members.append((name, .string(value))) }
        return JSONValue.object(members).text
    }
}

/// The `ed` field: a JSON object written by the browser tracker, e.g.
/// `{"customEvent":"click","jobId":"191","publisherId":0}`.
///
/// Only its top-level scalar members matter to the rules. Anything that is not a JSON object
/// reads as empty: a broken `ed` never rejects an event, it just tells nothing.
public struct EventDetails: Sendable, Equatable {
    public private(set) var members: [String: FlatJSON.Value] = [:]

    /// The members the rules read; the others are checked but not kept.
    public static let memberNames: Set<String> = ["customEvent", "jobId", "publisherId", "campaignId", "groupId"]

    public init(json: String?) {
        guard let json, !json.isEmpty, let members = try? FlatJSON.object(json.utf8, keeping: Self.memberNames) else { return }
        for member in members where self.members[member.name] == nil {
            self.members[member.name] = member.value
        }
    }

    public subscript(key: String) -> FlatJSON.Value? { members[key] }
}

/// The `ed` field: a JSON object written by the browser tracker, e.g.
/// `{"customEvent":"click","jobId":"191","publisherId":0}`.
///
/// Only its top-level scalar members matter to the rules. Anything that is not a JSON object
/// reads as empty: a broken `ed` never rejects an event, it just tells nothing. An `ed` longer
/// than ``maxBytes`` is not read at all and reads as empty too.
public struct EventDetails: Sendable, Equatable {
    public private(set) var members: [String: FlatJSON.Value] = [:]

    /// The members the rules read; the others are checked but not kept.
    public static let memberNames: Set<String> = ["customEvent", "jobId", "publisherId", "campaignId", "groupId"]

    /// The longest `ed` read, in UTF-8 bytes. A tracker's `ed` is a few dozen bytes (the example
    /// above is 53); 16 KiB is some 300 times that, room for trackers that add page context,
    /// while it caps what one event can cost admission (and `jobpulse reprocess`, which reads
    /// every `ed` of the lake again).
    public static let maxBytes = 16 * 1024

    public init(json: String?) {
        guard let json, !json.isEmpty, json.utf8.count <= Self.maxBytes,
            let members = try? FlatJSON.object(json.utf8, keeping: Self.memberNames)
        else { return }
        for member in members where self.members[member.name] == nil {
            self.members[member.name] = member.value
        }
    }

    public subscript(key: String) -> FlatJSON.Value? { members[key] }
}

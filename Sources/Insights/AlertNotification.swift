import Foundation
import JobPulseCore
import JobPulseWarehouse

/// The JSON a webhook receives when an alert fires or is resolved. `id` is the same on every
/// attempt to deliver it, so that a receiver that got it twice can tell.
public struct AlertNotification: Codable, Sendable, Hashable {
    /// `<key>#<episode>:<state>`, e.g. `budget_spent:80:campaign:12#2:firing`.
    public let id: String
    public let key: String
    public let rule: String
    /// `firing` or `resolved`.
    public let state: AlertRecord.State
    public let scope: AlertScope
    public let scopeId: Int32?
    public let episode: Int
    /// When the alert entered this state (ISO 8601, UTC).
    public let since: String
    public let value: Double
    public let threshold: Double
    public let message: String

    public init(_ record: AlertRecord) {
        id = Self.id(record)
        key = record.key
        rule = record.rule
        state = record.state
        scope = record.scope
        scopeId = record.scopeID
        episode = record.episode
        since = Timestamp.iso8601(record.since)
        value = record.value
        threshold = record.threshold
        message = record.message
    }

    enum CodingKeys: String, CodingKey {
        case id, key, rule, state, scope, episode, since, value, threshold, message
        case scopeId = "scope_id"
    }

    /// Every key present, `scope_id` as `null` for the pipeline.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(key, forKey: .key)
        try container.encode(rule, forKey: .rule)
        try container.encode(state, forKey: .state)
        try container.encode(scope, forKey: .scope)
        try container.encode(scopeId, forKey: .scopeId)
        try container.encode(episode, forKey: .episode)
        try container.encode(since, forKey: .since)
        try container.encode(value, forKey: .value)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(message, forKey: .message)
    }

    public static func id(_ record: AlertRecord) -> String { "\(record.key)#\(record.episode):\(record.state.rawValue)" }

    /// The body as sent: its keys sorted, so that the signature covers exactly
    /// these bytes.
    public var text: AlertNotificationText {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and finite numbers cannot fail.
        let data = (try? encoder.encode(self)) ?? Data()
        return AlertNotificationText(id: id, body: String(decoding: data, as: UTF8.self))
    }
}

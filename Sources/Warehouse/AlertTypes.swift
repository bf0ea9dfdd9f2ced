import JobPulseCore

/// What an alert is about: a campaign, a job, or the pipeline itself.
public enum AlertScope: String, Sendable, Hashable, Codable, CaseIterable {
    case campaign, job, pipeline
}

/// An alert's row in the `alert` table: its state and the figures of its last evaluation.
public struct AlertRecord: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case firing, resolved
    }

    /// The rule, its threshold and its subject, e.g. `budget_spent:80:campaign:12`.
    public var key: String
    public var rule: String
    public var scope: AlertScope
    public var scopeID: Int32?
    public var state: State
    /// How many times it has fired, this time included.
    public var episode: Int
    /// When it entered its state (epoch milliseconds).
    public var since: Int64
    /// When it was last evaluated.
    public var evaluatedAt: Int64
    /// The measured figure and the threshold it was compared with, in the rule's unit.
    public var value: Double
    public var threshold: Double
    public var message: String

    public init(
        key: String, rule: String, scope: AlertScope, scopeID: Int32?, state: State, episode: Int, since: Int64, evaluatedAt: Int64,
        value: Double, threshold: Double, message: String
    ) {
        self.key = key
        self.rule = rule
        self.scope = scope
        self.scopeID = scopeID
        self.state = state
        self.episode = episode
        self.since = since
        self.evaluatedAt = evaluatedAt
        self.value = value
        self.threshold = threshold
        self.message = message
    }
}

/// A change to an alert's row, applied only while the row is as `previous` says: nil for an
/// alert that has no row yet. Of two evaluators that saw the same row, one applies its change.
public struct AlertChange: Sendable {
    public struct Previous: Sendable, Hashable {
        public var state: AlertRecord.State
        public var episode: Int
        public init(state: AlertRecord.State, episode: Int) {
            self.state = state
            self.episode = episode
        }
    }

    public var record: AlertRecord
    public var previous: Previous?
    /// The notification sent with the change (fired or resolved); nil for new figures only.
    public var notification: AlertNotificationText?

    public init(record: AlertRecord, previous: Previous?, notification: AlertNotificationText?) {
        self.record = record
        self.previous = previous
        self.notification = notification
    }
}

/// A notification as the webhooks receive it: its id (receivers deduplicate on it) and its JSON.
public struct AlertNotificationText: Sendable, Hashable {
    public var id: String
    public var body: String
    public init(id: String, body: String) {
        self.id = id
        self.body = body
    }
}

/// A notification not yet taken by one webhook.
public struct PendingDelivery: Sendable, Hashable {
    public var id: String
    /// The webhook's digest (``AlertWarehouse`` never holds its URL).
    public var target: String
    public var body: String
    /// Attempts that failed so far.
    public var attempts: Int
    public var lastError: String?
}

/// The last hour with clicks of a campaign or a job.
public struct ClickActivity: Sendable, Hashable {
    public var scope: BudgetScope
    public var id: Int32
    /// Start of the last hour with clicks (epoch milliseconds).
    public var lastClickHour: Int64
    public init(scope: BudgetScope, id: Int32, lastClickHour: Int64) {
        self.scope = scope
        self.id = id
        self.lastClickHour = lastClickHour
    }
}

/// One hour of a campaign's clicks and spend.
public struct HourlyCost: Sendable, Hashable {
    public var campaignID: Int32
    public var hourStart: Int64
    public var clicks: Int64
    public var spendMicros: Int64
    public init(campaignID: Int32, hourStart: Int64, clicks: Int64, spendMicros: Int64) {
        self.campaignID = campaignID
        self.hourStart = hourStart
        self.clicks = clicks
        self.spendMicros = spendMicros
    }
}

import JobPulseWarehouse

/// The alert rules. Each one is a condition over the warehouse's figures; an alert fires when
/// its condition starts holding and is resolved when it stops.
public enum AlertRule: String, Sendable, Hashable, CaseIterable, Codable {
    case budgetSpent = "budget_spent"
    case paceAhead = "pace_ahead"
    case trafficStopped = "traffic_stopped"
    case cpcSpike = "cpc_spike"
    case pipelineStalled = "pipeline_stalled"
}

/// A rule's condition holding for one subject at one evaluation.
public struct AlertCondition: Sendable, Hashable {
    public var rule: AlertRule
    /// Tells apart the alerts one rule raises for one subject: `budget_spent`'s thresholds (`80`,
    /// `100`), `pipeline_stalled`'s two measures (`data_age`, `lag`).
    public var level: String?
    public var scope: AlertScope
    public var scopeID: Int32?
    /// The measured figure and the threshold it crossed, in the rule's unit.
    public var value: Double
    public var threshold: Double
    public var message: String

    public init(rule: AlertRule, level: String? = nil, scope: AlertScope, scopeID: Int32?, value: Double, threshold: Double, message: String) {
        self.rule = rule
        self.level = level
        self.scope = scope
        self.scopeID = scopeID
        self.value = value
        self.threshold = threshold
        self.message = message
    }

    /// The alert's identity across evaluations and restarts: `rule[:level]:scope[:id]`.
    public var key: String {
        [rule.rawValue, level, scope.rawValue, scopeID.map(String.init)].compactMap { $0 }.joined(separator: ":")
    }
}

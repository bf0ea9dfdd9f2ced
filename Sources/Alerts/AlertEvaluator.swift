import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// One evaluation of the alert rules: read the figures, compare with the alerts the warehouse
/// holds, and write the changes with their notifications in one transaction.
public struct AlertEvaluator: Sendable {
    public typealias PipelineReader = @Sendable () async -> PipelineFigures

    let warehouse: any Warehouse
    let configuration: AlertConfiguration
    let pipeline: PipelineReader
    let clock: WallClock

    public init(warehouse: any Warehouse, configuration: AlertConfiguration, clock: WallClock, pipeline: @escaping PipelineReader) {
        self.warehouse = warehouse
        self.configuration = configuration
        self.clock = clock
        self.pipeline = pipeline
    }

    /// What an evaluation found and did.
    public struct Outcome: Sendable {
        /// The alerts firing after it, by rule (every rule present, 0 when none fires).
        public var firing: [AlertRule: Int]
        /// Changes written: alerts fired, resolved, or given new figures.
        public var changes: Int
    }

    public func evaluate() async throws -> Outcome {
        let now = clock.now
        let thresholds = configuration.thresholds
        let figures = AlertFigures(
            pacings: try await InsightQueries.pacing(warehouse, now: now),
            clicks: try await warehouse.lastClicks(since: AlertRules.clicksSince(now: now, thresholds: thresholds)),
            hourlyCosts: try await warehouse.hourlyCosts(since: AlertRules.costsSince(now: now, thresholds: thresholds)),
            pipeline: await pipeline())
        let conditions = AlertRules.evaluate(figures, now: now, thresholds: thresholds)
        let changes = AlertTransitions.changes(stored: try await warehouse.alerts(), conditions: conditions, now: now)
        let applied = try await warehouse.applyAlertChanges(changes, targets: configuration.webhooks.map(\.id))
        var firing = Dictionary(uniqueKeysWithValues: AlertRule.allCases.map { ($0, 0) })
        for rule in Dictionary(conditions.map { ($0.key, $0.rule) }, uniquingKeysWith: { first, _ in first }).values {
            firing[rule, default: 0] += 1
        }
        return Outcome(firing: firing, changes: applied)
    }
}

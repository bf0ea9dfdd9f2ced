import JobPulseAlerts
import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The alerts' evaluation against a real warehouse (SQLite and MariaDB) with a clock that
/// stands still: what fires, what is remembered across a restart, what resolves, and what the
/// webhooks' outbox receives.
@Suite(.mariaDBWhenBuilt) struct AlertEvaluatorTests {
    static func at(_ text: String) throws -> Int64 { try EventTime.parse(text).get() }

    static func click(at ts: String, campaign: Int, job: Int, bid: String = "1") -> RawEvent {
        RawEvent.with([.ts: ts, .customTrack: "click", .campaignID: String(campaign), .jobID: String(job), .publisherID: "1", .bid: bid, .groupID: "1"])
    }

    static let webhook = WebhookTarget("http://127.0.0.1:9/hook")!

    static func evaluator(_ store: TestStore, clock: ManualWallClock, dataAge: Double? = 1) -> AlertEvaluator {
        AlertEvaluator(warehouse: store.warehouse, configuration: AlertConfiguration(webhooks: [webhook]), clock: clock.wallClock) {
            PipelineFigures(dataAgeSeconds: dataAge, lagEvents: 0)
        }
    }

    /// Job 7 (campaign 3) clicked until the hour from 04:00, job 8 (campaign 3) until 11:00. At
    /// 12:30 job 7 has been silent 7.5 hours; campaign 3 and job 8 have not. Campaign 3 has a
    /// daily budget of 10, of which 9 are spent: 90 %.
    @Test(arguments: Backend.allCases)
    func alertsFireOnceSurviveARestartAndResolve(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        try await store.lake.write(
            [
                Self.click(at: "2026-11-20 02:10:00", campaign: 3, job: 7, bid: "2"),
                Self.click(at: "2026-11-20 04:59:00", campaign: 3, job: 7, bid: "2"),
                Self.click(at: "2026-11-20 11:20:00", campaign: 3, job: 8, bid: "5"),
            ], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        try await store.warehouse.setBudget(Budget(scope: .campaign, scopeID: 3, amountMicros: 10_000_000, period: .daily))
        let clock = ManualWallClock(try Self.at("2026-11-20 12:30:00"))

        let first = try await Self.evaluator(store, clock: clock).evaluate()
        let alerts = try await store.warehouse.alerts()
        #expect(alerts.map(\.key) == ["budget_spent:80:campaign:3", "pace_ahead:campaign:3", "traffic_stopped:job:7"])
        #expect(alerts.allSatisfy { $0.state == .firing && $0.episode == 1 && $0.since == clock.now })
        #expect(first.changes == 3 && first.firing[.trafficStopped] == 1 && first.firing[.budgetSpent] == 1 && first.firing[.cpcSpike] == 0)
        let queued = try await store.warehouse.dueDeliveries(targets: [Self.webhook.id], dueBy: .max, limit: 10)
        #expect(queued.map(\.id).sorted() == alerts.map { "\($0.key)#1:firing" })

        // A new evaluator, as after a restart: the same conditions change nothing and send nothing.
        clock.advance(seconds: 60)
        let again = try await Self.evaluator(store, clock: clock).evaluate()
        #expect(again.changes == 1, "only the budget's pace moved with the clock, at one decimal; job 7's whole hours of silence did not")
        #expect(try await store.warehouse.dueDeliveries(targets: [Self.webhook.id], dueBy: .max, limit: 10).count == 3)

        // Job 7 clicks again (in the hour from 12:00): its alert resolves.
        try await store.lake.write([Self.click(at: "2026-11-20 12:40:00", campaign: 3, job: 7, bid: "0.5")], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        _ = try await Self.evaluator(store, clock: clock).evaluate()
        #expect(try await store.warehouse.alerts().first { $0.key == "traffic_stopped:job:7" }?.state == .resolved)

        // At 00:31 the next day nothing has clicked for over 6 hours, and the budget's new day has
        // nothing spent.
        clock.advance(seconds: 12 * 3600)
        _ = try await Self.evaluator(store, clock: clock).evaluate()
        let later = try await store.warehouse.alerts()
        #expect(later.filter { $0.state == .firing }.map(\.key) == ["traffic_stopped:campaign:3", "traffic_stopped:job:7", "traffic_stopped:job:8"])
        #expect(later.first { $0.key == "traffic_stopped:job:7" }?.episode == 2, "job 7 stopped again after its click at 12:40")
        #expect(later.first { $0.key == "traffic_stopped:job:7" }?.since == clock.now)
        let resolved = later.filter { $0.state == .resolved }.map(\.key)
        #expect(resolved == ["budget_spent:80:campaign:3", "pace_ahead:campaign:3"], "the new day's budget has nothing spent")
        let ids = Set(try await store.warehouse.dueDeliveries(targets: [Self.webhook.id], dueBy: .max, limit: 100).map(\.id))
        #expect(
            ids.isSuperset(of: [
                "budget_spent:80:campaign:3#1:resolved", "traffic_stopped:job:7#1:resolved", "traffic_stopped:job:7#2:firing",
                "traffic_stopped:job:8#1:firing",
            ]))
        try await store.warehouse.close()
    }

    /// Two evaluators that read the same state: the first change applies and queues its
    /// notification, the second finds the row changed and does neither.
    @Test(arguments: Backend.allCases)
    func ofTwoEvaluatorsOneWritesAndNotifies(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let condition = AlertCondition(rule: .pipelineStalled, level: "lag", scope: .pipeline, scopeID: nil, value: 60_000, threshold: 50_000, message: "lag")
        let changes = AlertTransitions.changes(stored: [], conditions: [condition], now: 1_000)
        #expect(try await store.warehouse.applyAlertChanges(changes, targets: [Self.webhook.id, "other"]) == 1)
        #expect(try await store.warehouse.applyAlertChanges(changes, targets: [Self.webhook.id, "other"]) == 0)
        let stored = try await store.warehouse.alerts()
        try #require(stored.count == 1)
        #expect(stored[0].scopeID == nil && stored[0].value == 60_000)
        let resolve = AlertTransitions.changes(stored: stored, conditions: [], now: 2_000)
        #expect(try await store.warehouse.applyAlertChanges(resolve, targets: [Self.webhook.id]) == 1)
        #expect(try await store.warehouse.applyAlertChanges(resolve, targets: [Self.webhook.id]) == 0)
        let due = try await store.warehouse.dueDeliveries(targets: [Self.webhook.id, "other"], dueBy: Int64.max / 2, limit: 10)
        #expect(
            due.map { "\($0.id) \($0.target)" }.sorted() == [
                "pipeline_stalled:lag:pipeline#1:firing \(Self.webhook.id)", "pipeline_stalled:lag:pipeline#1:firing other",
                "pipeline_stalled:lag:pipeline#1:resolved \(Self.webhook.id)",
            ])
        try await store.warehouse.close()
    }
}

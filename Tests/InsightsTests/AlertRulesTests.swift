import JobPulseCore
import JobPulseWarehouse
import Testing

@testable import JobPulseInsights

/// Each alert rule on figures worked by hand, at its threshold and on both sides of it.
@Suite struct AlertRulesTests {
    static let hour: Int64 = 3_600_000
    static func at(_ text: String) -> Int64 { try! EventTime.parse(text).get() }
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

    /// 415 of a daily 500 at noon: 83 % spent (80 fires, 100 does not); 250 expected by noon, so
    /// (415 − 250) / 250 = 66 % ahead of the even pace, beyond 25 %.
    @Test func aBudgetSpentAndAheadOfItsPace() throws {
        let budget = Budget(scope: .campaign, scopeID: 12, amountMicros: 500_000_000, period: .daily, currency: "USD")
        let noon = Self.at("2026-11-30 12:00:00")
        let pacing = Pacing(budget: budget, now: noon, spentMicros: 415_000_000, recentSpendMicros: 415_000_000)
        let conditions = AlertRules.budgets([pacing], thresholds: AlertThresholds())
        #expect(conditions.map(\.key) == ["budget_spent:80:campaign:12", "pace_ahead:campaign:12"])
        try #require(conditions.count == 2)
        #expect(Self.close(conditions[0].value, 83) && conditions[0].threshold == 80)
        #expect(conditions[0].message == "campaign 12 has spent 83.0 % of its daily budget (415.00 of 500.00 USD)")
        #expect(Self.close(conditions[1].value, 66) && conditions[1].threshold == 25)
        // A second later the expected spend has moved by a hair; the figure shown has not.
        let aSecondLater = AlertRules.budgets(
            [Pacing(budget: budget, now: noon + 1_000, spentMicros: 415_000_000, recentSpendMicros: 415_000_000)], thresholds: AlertThresholds())
        #expect(aSecondLater.last?.value == conditions[1].value && aSecondLater.last?.message == conditions[1].message)

        let exhausted = Pacing(budget: budget, now: noon, spentMicros: 500_000_000, recentSpendMicros: 0)
        #expect(
            AlertRules.budgets([exhausted], thresholds: AlertThresholds()).map(\.key) == ["budget_spent:80:campaign:12", "budget_spent:100:campaign:12"],
            "a spent budget is not also ahead of its pace")
        let onPace = Pacing(budget: budget, now: noon, spentMicros: 260_000_000, recentSpendMicros: 0)
        #expect(AlertRules.budgets([onPace], thresholds: AlertThresholds()).isEmpty, "52 % spent, 4 % ahead")
    }

    /// In a period's first hour one click is a pace far ahead: 5 spent where 100 × 0.5 / 24 =
    /// 2.083 is expected is 140 % ahead, but too early to say.
    @Test func noPaceAlertInAPeriodsFirstHour() throws {
        let budget = Budget(scope: .job, scopeID: 7, amountMicros: 100_000_000, period: .daily)
        let pacing = Pacing(budget: budget, now: Self.at("2026-11-30 00:30:00"), spentMicros: 5_000_000, recentSpendMicros: 5_000_000)
        #expect(abs(try #require(pacing.pacePercent) - 140) < 0.001, "the expected 2.083333 is rounded to whole millionths")
        #expect(AlertRules.budgets([pacing], thresholds: AlertThresholds()).isEmpty)
    }

    /// Job 7's last clicks were in the hour from 05:00, which ended at 06:00: at 12:30 that is
    /// 6 whole hours without one (the value moves once an hour, not at every evaluation). Job 8's
    /// hour from 06:00 ended 5.5 hours ago.
    @Test func trafficStoppedCountsFromTheEndOfTheLastHourWithClicks() {
        let now = Self.at("2026-11-30 12:30:00")
        let activity = [
            ClickActivity(scope: .job, id: 7, lastClickHour: Self.at("2026-11-30 05:00:00")),
            ClickActivity(scope: .job, id: 8, lastClickHour: Self.at("2026-11-30 06:00:00")),
            ClickActivity(scope: .campaign, id: 3, lastClickHour: Self.at("2026-11-30 12:00:00")),
        ]
        let conditions = AlertRules.trafficStopped(activity, now: now, thresholds: AlertThresholds())
        #expect(conditions.map(\.key) == ["traffic_stopped:job:7"])
        #expect(conditions.first?.value == 6 && conditions.first?.threshold == 6)
        #expect(conditions.first?.message == "job 7 has had no click for 6 hours (last in the hour from 2026-11-30T05:00:00.000Z)")
        let later = AlertRules.trafficStopped(activity, now: Self.at("2026-11-30 12:59:59"), thresholds: AlertThresholds())
        #expect(later.map(\.value) == [6] && later.map(\.message) == conditions.map(\.message), "the same figures all hour long")
        let atSix = AlertRules.trafficStopped(activity, now: Self.at("2026-11-30 12:00:00"), thresholds: AlertThresholds())
        #expect(atSix.map(\.key) == ["traffic_stopped:job:7"], "exactly 6 hours fires")
    }

    /// Campaign 3: eight hours of 20 clicks at CPCs 0.50, 0.60, 0.55, 0.40, 0.70, 0.50, 0.65 and
    /// 0.45 (median (0.50 + 0.55) / 2 = 0.525, limit 3 × 0.525 = 1.575), then 12 clicks for 24.00
    /// in the current hour: 2.00 a click. Campaign 4 has the same spike after only five hours,
    /// too few to have a median.
    @Test func cpcSpikeAgainstTheTrailingMedian() throws {
        let now = Self.at("2026-11-30 12:30:00"), first = Self.at("2026-11-30 04:00:00")
        let cpcs: [Int64] = [500_000, 600_000, 550_000, 400_000, 700_000, 500_000, 650_000, 450_000]
        var hours = cpcs.enumerated().map { index, cpc in
            HourlyCost(campaignID: 3, hourStart: first + Int64(index) * Self.hour, clicks: 20, spendMicros: 20 * cpc)
        }
        hours.append(HourlyCost(campaignID: 3, hourStart: Self.at("2026-11-30 12:00:00"), clicks: 12, spendMicros: 24_000_000))
        hours += (7..<12).map { HourlyCost(campaignID: 4, hourStart: first + Int64($0) * Self.hour, clicks: 20, spendMicros: 10_000_000) }
        hours.append(HourlyCost(campaignID: 4, hourStart: Self.at("2026-11-30 12:00:00"), clicks: 12, spendMicros: 24_000_000))
        let conditions = AlertRules.cpcSpikes(hours, now: now, thresholds: AlertThresholds())
        #expect(conditions.map(\.key) == ["cpc_spike:campaign:3"])
        try #require(conditions.count == 1)
        #expect(Self.close(conditions[0].value, 2) && Self.close(conditions[0].threshold, 1.575))

        var quiet = hours.filter { $0.campaignID == 3 }
        quiet[quiet.count - 1].clicks = 9
        #expect(AlertRules.cpcSpikes(quiet, now: now, thresholds: AlertThresholds()).isEmpty, "an hour of 9 clicks is not judged, and 11:00 is no spike")
        var cheaper = hours.filter { $0.campaignID == 3 }
        cheaper[cheaper.count - 1].spendMicros = 18_900_000
        #expect(AlertRules.cpcSpikes(cheaper, now: now, thresholds: AlertThresholds()).isEmpty, "1.575 a click is not above the limit")
    }

    @Test func pipelineStalledByDataAgeOrLag() {
        let thresholds = AlertThresholds()
        #expect(AlertRules.pipeline(PipelineFigures(dataAgeSeconds: 900, lagEvents: 50_000), thresholds: thresholds).isEmpty)
        let both = AlertRules.pipeline(PipelineFigures(dataAgeSeconds: 901, lagEvents: 50_001), thresholds: thresholds)
        #expect(both.map(\.key) == ["pipeline_stalled:data_age:pipeline", "pipeline_stalled:lag:pipeline"])
        #expect(AlertRules.pipeline(PipelineFigures(dataAgeSeconds: nil, lagEvents: nil), thresholds: thresholds).isEmpty)
    }

    @Test func mediansOfOddAndEvenCounts() {
        #expect(AlertRules.median([3, 1, 2]) == 2)
        #expect(AlertRules.median([4, 1, 3, 2]) == 2.5)
        #expect(AlertRules.median([]) == nil)
    }
}

/// From stored alerts and the conditions of an evaluation to the changes it writes.
@Suite struct AlertTransitionsTests {
    static let condition = AlertCondition(rule: .trafficStopped, scope: .job, scopeID: 7, value: 6.5, threshold: 6, message: "job 7 stopped")

    static func stored(_ state: AlertRecord.State, episode: Int, value: Double = 6.5) -> AlertRecord {
        AlertRecord(
            key: "traffic_stopped:job:7", rule: "traffic_stopped", scope: .job, scopeID: 7, state: state, episode: episode, since: 1_000,
            evaluatedAt: 1_000, value: value, threshold: 6, message: "job 7 stopped")
    }

    @Test func aNewConditionFiresItsFirstEpisode() throws {
        let changes = AlertTransitions.changes(stored: [], conditions: [Self.condition], now: 5_000)
        let change = try #require(changes.first)
        #expect(changes.count == 1 && change.previous == nil)
        #expect(change.record.state == .firing && change.record.episode == 1 && change.record.since == 5_000)
        #expect(change.notification?.id == "traffic_stopped:job:7#1:firing")
    }

    @Test func aFiringAlertIsWrittenOnlyWhenItsFiguresMove() throws {
        #expect(AlertTransitions.changes(stored: [Self.stored(.firing, episode: 3)], conditions: [Self.condition], now: 5_000).isEmpty)
        let moved = AlertTransitions.changes(stored: [Self.stored(.firing, episode: 3, value: 6)], conditions: [Self.condition], now: 5_000)
        let change = try #require(moved.first)
        #expect(change.notification == nil && change.record.episode == 3 && change.record.since == 1_000 && change.record.value == 6.5)
        #expect(change.previous == AlertChange.Previous(state: .firing, episode: 3))
    }

    @Test func aConditionThatStopsHoldingResolvesAndAResolvedOneFiresAgain() throws {
        let resolved = try #require(AlertTransitions.changes(stored: [Self.stored(.firing, episode: 1)], conditions: [], now: 5_000).first)
        #expect(resolved.record.state == .resolved && resolved.record.since == 5_000)
        #expect(resolved.notification?.id == "traffic_stopped:job:7#1:resolved")
        #expect(AlertTransitions.changes(stored: [Self.stored(.resolved, episode: 1)], conditions: [], now: 6_000).isEmpty)
        let again = try #require(AlertTransitions.changes(stored: [Self.stored(.resolved, episode: 1)], conditions: [Self.condition], now: 7_000).first)
        #expect(again.record.episode == 2 && again.previous == AlertChange.Previous(state: .resolved, episode: 1))
        #expect(again.notification?.id == "traffic_stopped:job:7#2:firing")
    }

    /// The webhook's JSON: every key, sorted, `scope_id` null for the pipeline.
    @Test func theNotificationBody() throws {
        var record = Self.stored(.firing, episode: 2)
        record.scope = .pipeline
        record.scopeID = nil
        let body = AlertNotification(record).text.body
        #expect(
            body
                == #"{"episode":2,"id":"traffic_stopped:job:7#2:firing","key":"traffic_stopped:job:7","message":"job 7 stopped","rule":"traffic_stopped","scope":"pipeline","scope_id":null,"since":"1970-01-01T00:00:01.000Z","state":"firing","threshold":6,"value":6.5}"#
        )
    }
}

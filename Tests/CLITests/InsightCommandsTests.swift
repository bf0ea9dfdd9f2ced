import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// `jobpulse budget`, `advice` and `alerts` as a user runs them: what they print, and the errors
/// that name what is wrong.
@Suite struct InsightCommandsTests {
    @Test func budgetsAreSetListedAndRemovedWithClearErrors() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        let set = try await runJobPulse(["budget", "set", "--campaign", "12", "--amount", "500", "--period", "daily", "--currency", "USD"] + data)
        #expect(set.status == 0 && set.output.contains("campaign 12: 500.00 USD a day"), "\(set.output)")
        let list = try await runJobPulse(["budget", "list"] + data)
        #expect(list.status == 0 && list.output.contains("campaign 12: 500.00 USD a day, spent 0.00, remaining 500.00"), "\(list.output)")

        let wrongAmount = try await runJobPulse(["budget", "set", "--job", "3", "--amount", "12,5", "--period", "daily"] + data)
        #expect(wrongAmount.status != 0 && wrongAmount.output.contains("amount"), "\(wrongAmount.output)")
        let noEnd = try await runJobPulse(["budget", "set", "--job", "3", "--amount", "10", "--period", "lifetime"] + data)
        #expect(noEnd.status != 0 && noEnd.output.contains("a lifetime budget needs --starts-on"), "\(noEnd.output)")
        let both = try await runJobPulse(["budget", "set", "--job", "3", "--campaign", "4", "--amount", "10", "--period", "daily"] + data)
        #expect(both.status != 0 && both.output.contains("exactly one of --campaign and --job"), "\(both.output)")

        #expect(try await runJobPulse(["budget", "remove", "--campaign", "12"] + data).status == 0)
        let again = try await runJobPulse(["budget", "remove", "--campaign", "12"] + data)
        #expect(again.status != 0 && again.output.contains("campaign 12 has no budget"), "\(again.output)")
    }

    @Test func adviceAndAlertsReadTheWarehouse() async throws {
        let directory = try TemporaryDirectory()
        let data = ["--data-dir", directory.path]
        let store = try await TestStore(directory: directory)
        let now = WallClock.system.now
        let hourAgo = Timestamp.sql(now - 3_600_000)
        let events = (0..<40).map { index in
            RawEvent.with([
                .ts: hourAgo, .customTrack: "click", .jobID: "7", .campaignID: "3", .publisherID: index < 35 ? "1" : "2", .bid: "1", .groupID: "1",
            ])
        }
        try await store.lake.write(events, rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        let condition = AlertCondition(rule: .trafficStopped, scope: .job, scopeID: 7, value: 7, threshold: 6, message: "job 7 has had no click")
        _ = try await store.warehouse.applyAlertChanges(AlertTransitions.changes(stored: [], conditions: [condition], now: now), targets: [])
        try await store.warehouse.close()

        let advice = try await runJobPulse(["advice", "--campaign", "3"] + data)
        #expect(advice.status == 0, "\(advice.output)")
        #expect(advice.output.contains("publisher 1: keep (35 clicks"), "\(advice.output)")
        #expect(advice.output.contains("publisher 2: insufficient data (5 clicks") && advice.output.contains("advice needs at least 30"))
        let alerts = try await runJobPulse(["alerts", "--firing"] + data)
        #expect(alerts.status == 0 && alerts.output.contains("firing since") && alerts.output.contains("traffic_stopped:job:7  job 7 has had no click"))
        let none = try await runJobPulse(["advice", "--job", "99"] + data)
        #expect(none.status == 0 && none.output.contains("job 99 has no publisher activity in the last 7 days"))
    }
}

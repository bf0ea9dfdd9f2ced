import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The rollups the dashboard reads are `events` summed per hour, per day, per job and day, and
/// per job and per pair over all time (each per publisher and campaign), after commits, a company refresh, a delete, and when
/// `migrate` builds them for a warehouse that already holds events.
@Suite(.mariaDBWhenBuilt) struct RollupTests {
    static let sums = "SUM(e.clicks), SUM(e.conversion), SUM(e.qualified_application), SUM(e.disqualified_application), SUM(e.spend_micros)"
    static let columns = "r.clicks, r.conversion, r.qualified_application, r.disqualified_application, r.spend_micros"

    /// Each rollup's rows (with grains) beside `events` grouped the same way, as text.
    static func compare(_ warehouse: SQLWarehouse) async throws -> [(String, [String], [String])] {
        let pairs = [
            ("rollup_hour", "r.hour_start, r.dates, r.hours, r.publisher_id, r.campaign_id", "e.hour_start, e.dates, e.hours, e.publisher_id, e.campaign_id"),
            ("rollup_day", "r.dates, r.publisher_id, r.campaign_id", "e.dates, e.publisher_id, e.campaign_id"),
            (
                "rollup_job_day", "r.dates, r.job_id, r.publisher_id, r.campaign_id, r.company_id",
                "e.dates, e.job_id, e.publisher_id, e.campaign_id, MAX(e.company_id)"
            ),
            ("rollup_job", "r.job_id, r.publisher_id, r.campaign_id, r.company_id", "e.job_id, e.publisher_id, e.campaign_id, MAX(e.company_id)"),
            ("rollup_pair", "r.publisher_id, r.campaign_id", "e.publisher_id, e.campaign_id"),
            ("rollup_hour_total", "r.hour_start, r.dates, r.hours", "e.hour_start, e.dates, e.hours"),
        ]
        return try await warehouse.database.read { session in
            try pairs.map { table, keys, grouped in
                let groupBy = grouped.replacingOccurrences(of: ", MAX(e.company_id)", with: "")
                let rollup = try session.query("SELECT \(keys), r.grains, \(columns) FROM \(table) r WHERE r.grains > 0 ORDER BY \(keys)")
                let events = try session.query("SELECT \(grouped), COUNT(*), \(sums) FROM events e GROUP BY \(groupBy) ORDER BY \(groupBy)")
                func text(_ rows: [SQLRow]) -> [String] { rows.map { $0.values.map { "\($0.text ?? "NULL")" }.joined(separator: "|") } }
                return (table, text(rollup), text(events))
            }
        }
    }

    static func expectSame(_ warehouse: SQLWarehouse, _ moment: String) async throws {
        for (table, rollup, events) in try await compare(warehouse) {
            #expect(!rollup.isEmpty && rollup == events, "\(table) \(moment): \(rollup.count) rows against \(events.count) from events")
        }
    }

    @Test(arguments: Backend.allCases)
    func theRollupsFollowEveryChangeToEvents(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 16)
        try await store.warehouse.upsertJobs(generator.jobs)
        try await store.generate(&generator, count: 3_000)
        _ = try await store.pipeline(batchSize: 700).runUntilCaughtUp()
        try await Self.expectSame(store.warehouse, "after the commits")

        try await store.generate(&generator, count: 1_000)  // into grains that have rows, and new ones
        _ = try await store.pipeline(batchSize: 300).runUntilCaughtUp()
        try await Self.expectSame(store.warehouse, "after more commits")

        var moved = generator.jobs[0]
        moved.companyID = 999_999
        try await store.warehouse.upsertJobs([moved])  // refreshes the company of the job's rows
        try await Self.expectSame(store.warehouse, "after a company refresh")

        _ = try await store.warehouse.database.write { session in try session.execute("DELETE FROM events WHERE hours < 6") }
        try await Self.expectSame(store.warehouse, "after a delete")
        try await store.warehouse.close()
    }

    /// A warehouse of the release before the rollups: `migrate` builds them from its events.
    @Test(arguments: Backend.allCases)
    func migrateBuildsTheRollupsOfAnEarlierWarehouse(_ backend: Backend) async throws {
        let triggers =
            backend == .sqlite
            ? ["rollups_after_insert", "rollups_after_update", "rollups_after_delete"]
            : ["hour", "day", "job_day"].flatMap { table in
                ["insert", "update", "delete"].map { "rollup_\(table)_after_\($0)" }
            }
        try await Self.expectMigrateRebuilds(
            backend, seed: 17, triggers: triggers + Self.allTimeTriggers + Self.hourTotalTriggers,
            tables: ["rollup_hour", "rollup_day", "rollup_job_day", "rollup_job", "rollup_pair", "rollup_hour_total"])
    }

    /// A warehouse of the release with the day rollups but not the all-time ones: `migrate`
    /// builds `rollup_job` and `rollup_pair` from the day rollups.
    @Test(arguments: Backend.allCases)
    func migrateBuildsTheJobRollupOfAWarehouseWithDayRollups(_ backend: Backend) async throws {
        try await Self.expectMigrateRebuilds(backend, seed: 18, triggers: Self.allTimeTriggers, tables: ["rollup_job", "rollup_pair"])
    }

    static let allTimeTriggers = ["job", "pair"].flatMap { table in ["insert", "update", "delete"].map { "rollup_\(table)_after_\($0)" } }

    /// A warehouse of the release with the all-time rollups but not the hour totals: `migrate`
    /// builds `rollup_hour_total` from `rollup_hour`.
    @Test(arguments: Backend.allCases)
    func migrateBuildsTheHourTotalsOfAWarehouseWithRollups(_ backend: Backend) async throws {
        try await Self.expectMigrateRebuilds(backend, seed: 19, triggers: Self.hourTotalTriggers, tables: ["rollup_hour_total"])
    }

    static let hourTotalTriggers = ["insert", "update", "delete"].map { "rollup_hour_total_after_\($0)" }

    /// Commits events, drops `tables` and `triggers` as an earlier release lacked them, and
    /// checks that `migrate` brings back rollups equal to `events`, which later commits keep.
    static func expectMigrateRebuilds(_ backend: Backend, seed: UInt64, triggers: [String], tables: [String]) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: seed)
        try await store.warehouse.upsertJobs(generator.jobs)
        try await store.generate(&generator, count: 2_000)
        _ = try await store.pipeline().runUntilCaughtUp()
        _ = try await store.warehouse.database.write { session in
            for trigger in triggers { try session.execute("DROP TRIGGER \(trigger)") }
            for table in tables { try session.execute("DROP TABLE \(table)") }
            return 0
        }
        try await store.warehouse.migrate()
        try await Self.expectSame(store.warehouse, "after migrate")
        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        try await Self.expectSame(store.warehouse, "after a commit on the upgraded warehouse")
        try await store.warehouse.close()
    }
}

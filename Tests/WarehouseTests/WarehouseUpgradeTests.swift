import Foundation
import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// A warehouse written by an earlier version is upgraded in place by `migrate`, keeping its data.
@Suite(.mariaDBWhenBuilt) struct WarehouseUpgradeTests {
    /// A warehouse created before `etl_state` had its newer columns is upgraded by `migrate`, and
    /// keeps its row.
    @Test(arguments: Backend.allCases)
    func migrateAddsNewStateColumnsToAnOldWarehouse(backend: Backend) async throws {
        let store = try await TestStore(backend)
        try await store.warehouse.database.write { session in
            try session.execute(
                "INSERT INTO etl_state (source, position, updated_at, lake_identity, batches, events_total, funnel_total) "
                    + "VALUES ('sqlite', '41', '2026-11-01 00:00:00', 'sqlite:x', 3, 41, 41)", [])
            try session.execute("ALTER TABLE etl_state DROP COLUMN unusable_total", [])
            try session.execute("ALTER TABLE etl_state DROP COLUMN last_unusable_position", [])
        }
        await #expect(throws: (any Error).self, "the state cannot be read without its columns") {
            _ = try await store.warehouse.state(source: "sqlite")
        }
        try await store.warehouse.migrate()
        try await store.warehouse.migrate()
        let state = try #require(try await store.warehouse.state(source: "sqlite"))
        #expect(state.position == "41" && state.batches == 3 && state.eventsTotal == 41)
        #expect(state.unusableTotal == 0 && state.lastUnusablePosition == nil)
    }

    /// `events_job` duplicated the first column of the unique grain key: `migrate` drops it from a
    /// warehouse that has it, and the rows stay as they were.
    @Test(arguments: Backend.allCases)
    func migrateDropsTheIndexNoQueryNeeds(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var event = RawEvent()
        event[.ts] = "2026-11-30 10:00:00"
        event[.customTrack] = "click"
        event[.jobID] = "5"
        try await store.lake.write([event], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        let before = try await store.warehouse.facts()
        try await store.warehouse.database.write { session in try session.execute("CREATE INDEX events_job ON events (job_id)", []) }
        func indexes() async throws -> Int64 {
            let sql =
                backend == .sqlite
                ? "SELECT COUNT(*) AS found FROM pragma_index_list('events') WHERE name = 'events_job'"
                : "SELECT COUNT(*) AS found FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'events' AND INDEX_NAME = 'events_job'"
            return try await store.warehouse.database.read { session in try session.query(sql)[0].int("found") }
        }
        #expect(try await indexes() == 1)
        try await store.warehouse.migrate()
        try await store.warehouse.migrate()
        #expect(try await indexes() == 0)
        #expect(try await store.warehouse.facts() == before)
    }

    /// The columns of the index `name` on `events` (0 when there is none), from the catalogue.
    static func indexColumns(_ name: String, _ store: TestStore, _ backend: Backend, table: String = "events") async throws -> Int64 {
        let sql =
            backend == .sqlite
            ? "SELECT COUNT(*) AS found FROM pragma_index_info(?)"
            : "SELECT COUNT(*) AS found FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '\(table)' AND INDEX_NAME = ?"
        return try await store.warehouse.database.read { session in try session.query(sql, [.text(name)])[0].int("found") }
    }

    /// Earlier versions indexed `hour_start` alone: `migrate` replaces that index by one that
    /// also holds the columns the panels per job sum, and the rows stay as they were.
    @Test(arguments: Backend.allCases)
    func migrateWidensTheHourIndex(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 43)
        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        let before = try await store.warehouse.facts()
        #expect(try await Self.indexColumns("events_hour_jobs", store, backend) == 10)
        _ = try await store.warehouse.database.write { session in
            try session.execute(backend == .sqlite ? "DROP INDEX events_hour_jobs" : "ALTER TABLE events DROP INDEX events_hour_jobs")
            try session.execute("CREATE INDEX events_hour_start ON events (hour_start)")
            return 0
        }
        try await store.warehouse.migrate()
        try await store.warehouse.migrate()
        #expect(try await Self.indexColumns("events_hour_start", store, backend) == 0)
        #expect(try await Self.indexColumns("events_hour_jobs", store, backend) == 10)
        #expect(try await store.warehouse.facts() == before)
    }

    /// A warehouse of an earlier version has no index of the hour rollup by the filters:
    /// `migrate` adds both, once, and the rows stay as they were.
    @Test(arguments: Backend.allCases)
    func migrateIndexesTheHourRollupByTheFilters(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 47)
        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        let before = try await store.warehouse.facts()
        let hours = try await store.warehouse.hourly(DashboardFilter(publisherID: 1))
        #expect(try await Self.indexColumns("rollup_hour_pair", store, backend, table: "rollup_hour") == 3)
        _ = try await store.warehouse.database.write { session in
            for index in ["rollup_hour_pair", "rollup_hour_campaign"] {
                try session.execute(backend == .sqlite ? "DROP INDEX \(index)" : "ALTER TABLE rollup_hour DROP INDEX \(index)")
            }
            return 0
        }
        #expect(try await Self.indexColumns("rollup_hour_pair", store, backend, table: "rollup_hour") == 0)
        try await store.warehouse.migrate()
        try await store.warehouse.migrate()
        #expect(try await Self.indexColumns("rollup_hour_pair", store, backend, table: "rollup_hour") == 3)
        #expect(try await Self.indexColumns("rollup_hour_campaign", store, backend, table: "rollup_hour") == 2)
        #expect(try await store.warehouse.facts() == before)
        #expect(try await store.warehouse.hourly(DashboardFilter(publisherID: 1)) == hours)
    }
}

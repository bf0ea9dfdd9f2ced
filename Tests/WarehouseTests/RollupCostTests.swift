#if MySQL
import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import MariaDBTestSupport
import JobPulseTestSupport
import JobPulseWarehouse
import Synchronization
import Testing

/// What the dashboard's reads cost, counted by MariaDB itself (its `Handler_read_*` counters,
/// the rows its storage engine handed over, temporary tables included), never timed: for the
/// ranges the page offers up to a week, a warehouse with four times the history reads no more;
/// for all time, neither do the panels that show no hours.
@Suite(.sharedServer) struct RollupCostTests {
    /// A database that counts the rows each read handed over, on the read's own connection.
    final class CountingDatabase: SQLDatabase {
        let inner: any SQLDatabase
        let rows = Mutex<Int64>(0)
        var dialect: SQLDialect { inner.dialect }

        init(_ inner: any SQLDatabase) { self.inner = inner }

        static func handlerReads(_ session: any SQLSession) throws -> Int64 {
            try session.query("SHOW SESSION STATUS LIKE 'Handler_read%'").reduce(0) { $0 + (Int64(try $1.text("Value")) ?? 0) }
        }

        func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T { try await inner.write(body) }
        func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) async throws -> T {
            try await inner.read { session in
                let before = try Self.handlerReads(session)
                let result = try body(session)
                let read = try Self.handlerReads(session) - before
                self.rows.withLock { $0 += read }
                return result
            }
        }
        func close() async throws { try await inner.close() }

        /// The rows the reads in `work` handed over.
        func counting(_ work: () async throws -> Void) async throws -> Int64 {
            rows.withLock { $0 = 0 }
            try await work()
            return rows.withLock { $0 }
        }
    }

    /// Every panel's read, as `/api` makes them for one range and filter.
    static func readEveryPanel(_ warehouse: SQLWarehouse, _ filter: DashboardFilter) async throws {
        _ = try await warehouse.totals(filter)
        _ = try await warehouse.dayGauges(filter)
        _ = try await warehouse.topJobs(filter, limit: 10)
        _ = try await warehouse.hourly(filter)
        _ = try await warehouse.breakdown(filter, by: .publisher)
        _ = try await warehouse.breakdown(filter, by: .campaign)
    }

    @Test func readsGrowWithTheRangeNotWithTheHistory() async throws {
        let database = CountingDatabase(try MySQLDatabase(url: try await TestStore.newMySQLDatabase()))
        let directory = try TemporaryDirectory()
        let store = try await TestStore(directory: directory)
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        var generator = TrafficGenerator(seed: 29)
        try await warehouse.upsertJobs(generator.jobs)
        let hour: Int64 = 3_600_000
        let now = TestClock.now / hour * hour + 1_800_000
        let lake = store.lake
        func addHistory(days: Int64, endingDaysAgo: Int64) async throws {
            var batch = IntakeBatch(origin: "test")
            let end = now - endingDaysAgo * UTCDay.milliseconds, events = Int(days * 24 * 30)
            for index in 0..<events {
                batch.admit(fields: generator.nextRow(arrivingAt: end - Int64(index) * 120_000), layout: .standard, location: index)
            }
            _ = try await batch.flush(to: lake)
            _ = try await ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: 20_000)).runUntilCaughtUp()
        }
        let ranges: [(String, Int64)] = [("1 h", hour), ("6 h", 6 * hour), ("24 h", 24 * hour), ("7 d", 7 * 24 * hour)]
        let campaign = try #require(generator.jobs.first?.campaignID)
        let filters: [DashboardFilter] = ranges.flatMap { _, length in
            [DashboardFilter(from: now - length, to: now), DashboardFilter(from: now - length, to: now, publisherID: 1, campaignID: campaign)]
        }
        func costs() async throws -> [Int64] {
            var costs: [Int64] = []
            for filter in filters { costs.append(try await database.counting { try await Self.readEveryPanel(warehouse, filter) }) }
            return costs
        }

        try await addHistory(days: 10, endingDaysAgo: 0)
        let before = try await costs()
        try await addHistory(days: 30, endingDaysAgo: 10)  // four times the history, all of it older than a week
        let after = try await costs()
        // Not more: with more rows, MariaDB may even prefer an index where it scanned a small table.
        #expect(
            zip(after, before).allSatisfy { $0 <= $1 } && before.allSatisfy { $0 > 0 },
            "rows read per range and filter: \(before) with 10 days, \(after) with 40")
        try await warehouse.close()
    }

    /// A counted warehouse on MariaDB with ten days of traffic (one event every 2 minutes) up to
    /// `now`, committed by the ETL; and a campaign of its jobs.
    static func tenDays(seed: UInt64, endingAt now: Int64) async throws -> (CountingDatabase, SQLWarehouse, Int32) {
        let database = CountingDatabase(try MySQLDatabase(url: try await TestStore.newMySQLDatabase()))
        let store = try await TestStore()
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        var generator = TrafficGenerator(seed: seed)
        try await warehouse.upsertJobs(generator.jobs)
        var batch = IntakeBatch(origin: "test")
        for index in 0..<7_200 { batch.admit(fields: generator.nextRow(arrivingAt: now - Int64(index) * 120_000), layout: .standard, location: index) }
        _ = try await batch.flush(to: store.lake)
        _ = try await ETLPipeline(lake: store.lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: 20_000)).runUntilCaughtUp()
        try await store.warehouse.close()
        return (database, warehouse, try #require(generator.jobs.first?.campaignID))
    }

    /// "All time" with four times the history of the same jobs, publishers and campaigns: every
    /// panel but the hourly chart (which shows each hour), and the row count `/healthz` shows,
    /// read what they read before, from the all-time rollups. The older history is the first one's rows copied 10, 20 and 30 days back.
    @Test func allTimeReadsGrowWithTheJobsNotWithTheDays() async throws {
        let now = TestClock.now / 3_600_000 * 3_600_000 + 1_800_000  // mid-hour: the copies meet no row of the first history
        let (database, warehouse, campaign) = try await Self.tenDays(seed: 31, endingAt: now)
        let filters = [DashboardFilter(), DashboardFilter(publisherID: 1, campaignID: campaign)]
        func costs() async throws -> [Int64] {
            var costs: [Int64] = []
            for filter in filters {
                costs.append(
                    try await database.counting {
                        _ = try await warehouse.totals(filter)
                        _ = try await warehouse.topJobs(filter, limit: 10)
                        _ = try await warehouse.breakdown(filter, by: .publisher)
                        _ = try await warehouse.breakdown(filter, by: .campaign)
                        _ = try await warehouse.factCount()
                    })
            }
            return costs
        }
        let before = try await costs()
        let columns = """
            job_id, dates, hours, hour_start, disqualified_application, qualified_application, conversion, company_id, group_id, campaign_id, \
            publisher_id, bid_set, clicks, spend_hour, spend_micros, sources, updated_at
            """
        let grains = try await database.write { session in
            for days in [10, 20, 30] {
                try session.execute(
                    """
                    INSERT INTO events (\(columns))
                    SELECT job_id, DATE_SUB(dates, INTERVAL \(days) DAY), hours, DATE_SUB(hour_start, INTERVAL \(days) DAY), disqualified_application,
                           qualified_application, conversion, company_id, group_id, campaign_id, publisher_id, bid_set, clicks, spend_hour,
                           spend_micros, sources, updated_at
                    FROM events WHERE hour_start >= ?
                    """, [.text(String(Timestamp.sql(now - 10 * UTCDay.milliseconds).prefix(19)))])
            }
            return try session.query("SELECT COUNT(*) AS n FROM events")[0].int("n")
        }
        let after = try await costs()
        #expect(grains > 3_000, "the copied history: \(grains) rows")
        #expect(try await warehouse.factCount() == grains)
        #expect(
            zip(after, before).allSatisfy { $0 <= $1 } && before.allSatisfy { $0 > 0 },
            "rows read for all time, without and with a filter: \(before) with 10 days, \(after) with 40")
        try await warehouse.close()
    }

    /// The hourly chart of one publisher and campaign over all time reads that pair's hours (by
    /// the hour rollup's index of the filters), not every pair of every hour; so does the chart
    /// of one campaign.
    @Test func theHourlyChartOfOnePairReadsThatPairsHours() async throws {
        let (database, warehouse, campaign) = try await Self.tenDays(seed: 37, endingAt: TestClock.now)
        func rows(_ condition: String) async throws -> Int64 {
            try await database.inner.read { try $0.query("SELECT COUNT(*) AS n FROM rollup_hour WHERE \(condition)")[0].int("n") }
        }
        let all = try await rows("1 = 1")
        for (filter, condition) in [
            (DashboardFilter(publisherID: 1, campaignID: campaign), "publisher_id = 1 AND campaign_id = \(campaign)"),
            (DashboardFilter(campaignID: campaign), "campaign_id = \(campaign)"),
        ] {
            let selected = try await rows(condition)
            let read = try await database.counting { _ = try await warehouse.hourly(filter) }
            // Each selected row from the index, then through the grouping's temporary table and
            // its sort: a few reads per row, far fewer than a read of every pair.
            #expect(selected > 0 && read <= 5 * selected + 10 && 5 * selected + 10 < all, "\(read) rows read for \(selected) of \(all) (\(condition))")
        }
        try await warehouse.close()
    }
}
#endif

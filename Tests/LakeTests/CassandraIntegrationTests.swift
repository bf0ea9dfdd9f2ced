import CQLClient
import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The Cassandra lake against a real server, named by `JOBPULSE_TEST_CASSANDRA` (`host:9042`, or
/// `user:password@host1:9042,host2:9042`): `jobpulse migrate` creates a fresh keyspace, a
/// generated CSV goes in through the import, the ETL fills an SQLite warehouse, and the warehouse
/// must equal a from-scratch aggregation of the lake. The keyspace is dropped afterwards.
/// `docs/cassandra.md` has the commands to start a server and run it.
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["JOBPULSE_TEST_CASSANDRA"] != nil,
        "set JOBPULSE_TEST_CASSANDRA=host:9042 to run the Cassandra integration test against a real server (see docs/cassandra.md)"
    ),
    .timeLimit(.minutes(10))
)
struct CassandraIntegrationTests {
    @Test func importAndETLEqualAFromScratchAggregation() async throws {
        let server = try #require(ProcessInfo.processInfo.environment["JOBPULSE_TEST_CASSANDRA"])
        let keyspace = "jobpulse_it_" + UUID().uuidString.prefix(8).lowercased()
        let lakeURL = "cassandra://\(server)/\(keyspace)?bucket_seconds=10&safety_lag_seconds=1&page_size=700"
        let directory = try TemporaryDirectory()
        let warehouseURL = "sqlite://" + directory.file("warehouse.db")

        let migrate = try await runJobPulse(["migrate", "--lake", lakeURL, "--warehouse", warehouseURL])
        #expect(migrate.status == 0, "\(migrate.output)")
        do {
            try await exercise(lakeURL: lakeURL, warehouseURL: warehouseURL, directory: directory)
        } catch {
            await dropKeyspace(keyspace, server: server)
            throw error
        }
        await dropKeyspace(keyspace, server: server)
    }

    private func exercise(lakeURL: String, warehouseURL: String, directory: TemporaryDirectory) async throws {
        let lake = try await CassandraLake.open(CassandraLakeConfiguration(url: try #require(StorageURL(lakeURL))))
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")))
        try await warehouse.migrate()

        var generator = TrafficGenerator(seed: 4242)
        let now = TestClock.now
        let rows = (0..<6_000).map { generator.nextRow(arrivingAt: now - Int64(6_000 - $0) * 5_000) }
        let tally = generator.tally
        let path = directory.file("tracking.csv")
        let text = CSVWriter.line(TrackingField.columnNames) + "\n" + rows.map(CSVWriter.line).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await warehouse.upsertJobs(generator.jobs)

        var importer = TrackingFileImport(lake: lake)
        importer.batchSize = 1_000
        let count = try await importer.run(path: path)
        #expect(count.accepted == tally.accepted && count.rejected == tally.malformed)

        // Wait out the safety lag, so that every imported event is readable.
        try await Task.sleep(for: .milliseconds(1_500))
        let run = try await ETLPipeline(
            lake: lake, warehouse: warehouse,
            configuration: ETLConfiguration(batchSize: 2_000, interval: .milliseconds(50))
        )
        .runUntilCaughtUp()
        #expect(run.events == tally.accepted)
        #expect(run.funnel == tally.funnel && run.other == tally.other)
        #expect(try await lake.quarantine(limit: 5).total == tally.malformed)
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        let totals = try await warehouse.totals(DashboardFilter())
        #expect(
            totals.metrics
                == FunnelMetrics(
                    clicks: tally.clicks, conversions: tally.conversions, qualified: tally.qualified,
                    unqualified: tally.unqualified, spendMicros: tally.spendMicros))
        try await warehouse.close()
        await lake.close()

        let status = try await runJobPulse(["status", "--lake", lakeURL, "--warehouse", warehouseURL])
        #expect(status.status == 0 && status.output.contains("lag 0 events"), "\(status.output)")
    }

    private func dropKeyspace(_ keyspace: String, server: String) async {
        guard let url = StorageURL("cassandra://\(server)/\(keyspace)"), let configuration = try? CassandraLakeConfiguration(url: url) else { return }
        var connection = CQLConnectionConfiguration(requestTimeout: .seconds(60))
        if let user = configuration.username { connection.setCredentials(username: user, password: configuration.password ?? "") }
        let pool = CQLConnectionPool(configuration: CQLPoolConfiguration(contactPoints: configuration.contactPoints, connection: connection))
        _ = try? await pool.query("DROP KEYSPACE IF EXISTS \(keyspace)")
        await pool.shutdown()
    }
}

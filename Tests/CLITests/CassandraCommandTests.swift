import CassandraStandIn
import Foundation
import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The `jobpulse` commands with `--lake cassandra://…`, as processes, against the stand-in node.
@Suite(.timeLimit(.minutes(10))) struct CassandraCommandTests {
    @Test func migrateImportETLStatusAndQuarantineWorkOnACassandraLake() async throws {
        let cluster = try await StandInCluster.start()
        let directory = try TemporaryDirectory()
        // No safety lag: every command's events are readable as soon as they are written.
        let lakeURL = cluster.url("replication=SimpleStrategy:3&safety_lag_seconds=0")
        let storage = ["--lake", lakeURL, "--warehouse", "sqlite://" + directory.file("warehouse.db"), "--log-level", "warning"]

        let migrate = try await runJobPulse(["migrate"] + storage)
        #expect(migrate.status == 0, "\(migrate.output)")
        #expect(migrate.output.contains("lake ready: cassandra://127.0.0.1:\(cluster.node.port)/jp?replication="))
        #expect(cluster.node.store.replication(of: "jp") == "{ 'class' : 'SimpleStrategy' , 'replication_factor' : 3 }")

        let csv = directory.file("tracking.csv")
        let jobs = directory.file("job.csv")
        #expect(try await runJobPulse(["generate", "--count", "3000", "--csv", csv, "--jobs-csv", jobs, "--data-dir", directory.path]).status == 0)
        let imported = try await runJobPulse(["import", csv] + storage)
        #expect(imported.status == 0, "\(imported.output)")
        let counts = try #require(imported.output.firstMatch(of: /received 3,000 \/ accepted ([0-9,]+) \/ rejected ([0-9,]+)/))
        let accepted = Int(counts.1.replacing(",", with: ""))!
        let rejected = Int(counts.2.replacing(",", with: ""))!
        #expect(accepted + rejected == 3_000 && rejected > 0)
        #expect(try await runJobPulse(["import-jobs", jobs] + storage).status == 0)

        let etl = try await runJobPulse(["etl", "--once", "--batch-size", "700"] + storage)
        #expect(etl.status == 0, "\(etl.output)")
        #expect(etl.output.contains("caught up at position 17"), "a position is a bucket and an ingest id: \(etl.output)")
        #expect(etl.output.contains("the lake holds \(grouped(accepted))"))

        let status = try await runJobPulse(["status"] + storage)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("\(grouped(accepted)) events, \(grouped(rejected)) rejected rows in quarantine"), "\(status.output)")
        #expect(status.output.contains("lag 0 events"))

        let quarantine = try await runJobPulse(["quarantine", "--limit", "3"] + storage)
        #expect(quarantine.output.hasPrefix("\(grouped(rejected)) rejected rows, newest 3 shown"), "\(quarantine.output)")
        #expect(quarantine.output.contains("tracking.csv:"))

        let reprocess = try await runJobPulse(["reprocess"] + storage)
        #expect(reprocess.status == 0, "\(reprocess.output)")
        #expect(reprocess.output.contains("\(grouped(accepted)) events reprocessed, 0 typed differently than before"), "\(reprocess.output)")

        let lake = try await CassandraLake.open(CassandraLakeConfiguration(url: try #require(StorageURL(lakeURL))))
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")))
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        #expect(try await warehouse.state(source: "cassandra")?.lakeIdentity == lake.identity())
        #expect(try await warehouse.facts().allSatisfy { $0.sources == "cassandra" })
        try await warehouse.close()
        await lake.close()
        await cluster.stop()
    }
}

extension CassandraCommandTests {
    /// A keyspace written by the release before the typed lake: every command but migrate
    /// refuses it, saying what to run; after migrate, the ETL reads it.
    @Test func migrateUpgradesAKeyspaceOfThePreviousLayout() async throws {
        let cluster = try await StandInCluster.start()
        let directory = try TemporaryDirectory()
        let lakeURL = cluster.url("safety_lag_seconds=0")
        let storage = ["--lake", lakeURL, "--warehouse", "sqlite://" + directory.file("warehouse.db"), "--log-level", "warning"]
        // The commands run on the real clock.
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let previous = try PreviousLayoutKeyspace(store: cluster.node.store, now: now - 120_000)
        var generator = TrafficGenerator(seed: 31)
        let events = (0..<300).compactMap { _ in try? TrackingCSVLayout.standard.event(from: generator.nextRow(arrivingAt: now)).get() }
            .filter { AdmittedEvent($0).normalized != nil }
        try previous.write(events, now: now - 60_000)

        let refused = try await runJobPulse(["etl", "--once"] + storage)
        #expect(refused.status != 0)
        #expect(
            refused.output.contains(
                "the lake in keyspace jp at cassandra://127.0.0.1:\(cluster.node.port)/jp?safety_lag_seconds=0 has layout 1, "
                    + "written by an earlier JobPulse; run `jobpulse migrate` to upgrade it in place"), "\(refused.output)")

        let migrate = try await runJobPulse(["migrate"] + storage)
        #expect(migrate.status == 0, "\(migrate.output)")
        let etl = try await runJobPulse(["etl", "--once"] + storage)
        #expect(etl.status == 0, "\(etl.output)")
        #expect(etl.output.contains("the lake holds \(grouped(events.count))"), "\(etl.output)")

        let lake = try await CassandraLake.open(CassandraLakeConfiguration(url: try #require(StorageURL(lakeURL))))
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")))
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        #expect(try await warehouse.state(source: "cassandra")?.lakeIdentity == previous.identity)
        try await warehouse.close()
        await lake.close()
        await cluster.stop()
    }
}

/// `1,234,567`, as the commands print numbers.
private func grouped(_ value: Int) -> String {
    let formatter = NumberFormatter()
    formatter.numberStyle = .decimal
    formatter.groupingSeparator = ","
    formatter.usesGroupingSeparator = true
    return formatter.string(from: NSNumber(value: value)) ?? "\(value)"
}

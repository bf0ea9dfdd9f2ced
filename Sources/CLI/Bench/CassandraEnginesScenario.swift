import Foundation

/// Scenario 7: the Swift engine and the Spark engine on one Cassandra lake (a real node, or the
/// `cassandra-stand-in` test node), each into a MySQL/MariaDB warehouse of its own: generated
/// events written into the lake's keyspace, then `etl --once` by each engine; events/s of each.
///
/// It runs after scenario 5, in the same two databases: the Cassandra lake has its own position
/// there (`etl_state` row `cassandra`), and since both databases hold the same rows by then, the
/// two engines merge into identical warehouses.
struct CassandraEnginesScenario {
    let lake: String
    let events: Int
    let directory: String
    let swiftWarehouse: String
    let sparkWarehouse: String

    func run() async throws -> [BenchFigures] {
        var preparation = BenchFigures("7. Cassandra lake preparation (jobpulse generate, not a target)")
        let clock = ContinuousClock()
        let started = clock.now
        _ = try ChildProcess.run([
            "generate", "--count", String(events), "--lake", lake, "--data-dir", directory, "--no-jobs",
            "--log-level", "error",
        ])
        preparation.add("events generated and written to Cassandra", Double(events), "events")
        preparation.add("generation + admission + lake writes", Double(events) / (clock.now - started).inSeconds, "events/s")
        let backfill = BackfillScenario(events: events, directory: directory)
        let swift = try await backfill.run(label: "7a. Cassandra lake into MySQL (Swift engine)", lake: lake, warehouse: swiftWarehouse)
        let spark = try backfill.runSpark(label: "7b. Cassandra lake into MySQL (Spark engine)", lake: lake, warehouse: sparkWarehouse)
        return [preparation, swift, spark]
    }
}

import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

#if MySQL
import MariaDBClient
import MariaDBTestSupport
#endif

/// A batch reaches the warehouse in a few multi-row statements, not in one statement (and on
/// MySQL three round trips) per grain. Counted by the database itself, never timed: SQLite's
/// trace of the writing connection, MariaDB's global statement counters on a server of the
/// test's own.
@Suite(.serialized) struct MergeStatementCountTests {
    /// Generated events one every 1.5 seconds: with the standard traffic model about one grain
    /// per 2.5 events, so 50,000 events make about 20,000 grains.
    static let spacing: Int64 = 1_500

    @Test func sqliteBatchCostsAFewStatementsWhateverItsGrains() async throws {
        let single = try await sqliteStatements(events: 50_000)
        let double = try await sqliteStatements(events: 100_000)
        expectFewStatements(single, double)
    }

    /// The statements SQLite's writing connection starts during one batch over `events` events.
    private func sqliteStatements(events: Int) async throws -> Count {
        let directory = try TemporaryDirectory()
        let lake = try SQLiteLake(path: directory.file("lake.db"))
        let database = try SQLiteDatabase(path: directory.file("warehouse.db"))
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        try await fill(lake, warehouse, events: events)

        let statements = LockedCounter()
        try await database.traceWrites { _ in statements.increment() }
        let report = try await runOneBatch(lake, warehouse, events: events)
        try await database.traceWrites(nil)
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        return Count(grains: report.grains, statements: statements.value)
    }

    #if MySQL
    @Test func mariaDBBatchCostsAFewRoundTripsWhateverItsGrains() async throws {
        try await withPrivateServer { server in
            let single = try await mariaDBStatements(events: 50_000, server: server, database: "fifty_thousand")
            let double = try await mariaDBStatements(events: 100_000, server: server, database: "hundred_thousand")
            expectFewStatements(single, double)
            // Each text is prepared once per connection, however often it runs.
            #expect(single.prepared <= 30 && double.prepared <= 30, "prepared: \(single.prepared), \(double.prepared)")
        }
    }

    /// The statements the server counted during one batch over `events` events; nothing else
    /// uses the server meanwhile.
    private func mariaDBStatements(events: Int, server: PrivateMariaDBServer, database name: String) async throws -> Count {
        try await server.runAsRoot("CREATE DATABASE \(name)")
        let directory = try TemporaryDirectory()
        let lake = try SQLiteLake(path: directory.file("lake.db"))
        let database = try MySQLDatabase(url: "mysql://jp:jp@127.0.0.1:\(server.port)/\(name)?ssl=disabled")
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        try await fill(lake, warehouse, events: events)

        let (report, counted) = try await withConnection(server.configuration()) { observer in
            let before = try await Self.statementCounters(observer)
            let report = try await runOneBatch(lake, warehouse, events: events)
            let after = try await Self.statementCounters(observer)
            return (report, after.reduce(into: [String: Int64]()) { $0[$1.key] = $1.value - (before[$1.key] ?? 0) })
        }
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        try await warehouse.close()
        // Questions counts what clients ask the server to run (executes, and the transactions'
        // START and COMMIT); preparing and closing are counted apart. The observer's second
        // reading of the counters adds one of each.
        let questions = Int(counted["Questions", default: 0]) - 1
        let executed = Int(counted["Com_stmt_execute", default: 0]) - 1
        #expect(executed <= questions, "Com_stmt_execute \(executed), Questions \(questions)")
        return Count(grains: report.grains, statements: questions, prepared: Int(counted["Com_stmt_prepare", default: 0]))
    }

    private static func statementCounters(_ connection: MariaDBConnection) async throws -> [String: Int64] {
        let rows = try await connection.query(
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute', 'Com_stmt_close', 'Questions')")
        return Dictionary(uniqueKeysWithValues: try rows.map { (try $0.string("Variable_name"), Int64(try $0.string("Value")) ?? 0) })
    }
    #endif

    struct Count {
        var grains: Int
        var statements: Int
        var prepared = 0
    }

    /// About 20,000 grains cost a few dozen statements, and twice the grains add about one
    /// statement per thousand grains (a full multi-row statement), never one per grain.
    private func expectFewStatements(_ single: Count, _ double: Count, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect((15_000...30_000).contains(single.grains), "grains of 50,000 events: \(single.grains)", sourceLocation: sourceLocation)
        #expect(double.grains > single.grains * 3 / 2, "grains of 100,000 events: \(double.grains)", sourceLocation: sourceLocation)
        #expect(single.statements <= 60, "statements for \(single.grains) grains: \(single.statements)", sourceLocation: sourceLocation)
        let added = double.grains - single.grains
        #expect(
            double.statements - single.statements <= added / 1_000 + 10,
            "statements for \(single.grains) and \(double.grains) grains: \(single.statements), \(double.statements)",
            sourceLocation: sourceLocation)
    }

    /// Writes `events` generated events to the lake, spread over `spacing` each, and their jobs
    /// to the warehouse.
    private func fill(_ lake: SQLiteLake, _ warehouse: SQLWarehouse, events: Int) async throws {
        var generator = TrafficGenerator(seed: 31)
        try await warehouse.upsertJobs(generator.jobs)
        let now = TestClock.now
        var batch = IntakeBatch(origin: "test")
        for index in 0..<events {
            batch.admit(fields: generator.nextRow(arrivingAt: now - Int64(events - index) * Self.spacing), layout: .standard, location: index + 1)
        }
        _ = try await batch.flush(to: lake)
    }

    private func runOneBatch(_ lake: SQLiteLake, _ warehouse: SQLWarehouse, events: Int) async throws -> BatchReport {
        let pipeline = ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: events))
        let report = try #require(try await pipeline.runBatch())
        #expect(try await lake.count(after: nil) == report.events, "one batch takes the whole lake")
        return report
    }
}

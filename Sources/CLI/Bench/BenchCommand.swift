import ArgumentParser
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure JobPulse's throughput and freshness on this machine.",
        discussion: """
            Runs on temporary data folders and prints a table (or JSON with --json):
              1. backfill: --events generated events aggregated into an empty warehouse by \
            `jobpulse etl --once` in its own process; events/s, its peak memory, and the lake's \
            bytes on disk per event;
              2. incremental cost: one batch of 10,000 new events on top of 0, --events / 5 and \
            --events events of history (0, 1 and 5 million by default), on a lake of its own; the \
            time of each and the ratio (it should stay flat);
              3. freshness: --rate events/s posted to `jobpulse serve` in batches of 500; from \
            each 2xx answer to the moment its events are in the warehouse: p50, p95, p99, max;
              4. ingestion: the most events/s the collector accepts durably, with wrk as the \
            load generator in another process;
              5. with --warehouse URL (an empty database): scenario 1 into MySQL, with the statements the \
            server counted (SHOW GLOBAL STATUS) per batch and per 1,000 grains; with --freshness-warehouse \
            URL (another empty database) also scenario 3 with the warehouse on MySQL, beside SQLite's; \
            with --spark-warehouse URL (another empty database) also through the Spark engine, side by side;
              6. with --peer duckdb: one generated tracking CSV (--events rows, default 1,000,000; \
            20,000 with --quick) loaded and aggregated to the same grain under the same rules by \
            DuckDB (scripts/bench/duckdb_peer.py, 2 threads; installed with pip into \
            --data-dir on first use, so it needs python3 and the network then), beside \
            `jobpulse import` + `jobpulse etl --once`; both times, their ratio, and whether the \
            funnel totals agree;
              7. with --cassandra URL (an empty keyspace, on a node or on the cassandra-stand-in \
            test node) and both --warehouse and --spark-warehouse: --cassandra-events generated events \
            written to that lake, then aggregated by the Swift engine into the --warehouse database and \
            by the Spark engine into the --spark-warehouse one (after scenario 5, whose rows they merge \
            into alike); events/s of each;
              8. dashboard reads: --read-rows grains (default 1,000,000; 50,000 with --quick) written \
            into a SQLite warehouse over --read-days days (default 90; 10 with --quick), a tenth of them \
            in the last 24 hours; the job boards of the page's ranges read, without and with a filter \
            (as the server reads each once per hour; the slowest timed); every endpoint's figures as the server computes them \
            after a commit, for each range the page offers (1 h, 6 h, 24 h, 7 d, 30 d, all), without \
            and with a filter: p50 and p95 of the slowest endpoint, the \
            worst p95 of each endpoint, and an answer served again before the next commit; then what \
            the rollups' triggers cost the writes: the same grains written with and without them; \
            with --read-warehouse URL (an empty database) also the reads on MySQL (8b);
              9. live dashboards: scenario 3 again, on a warehouse that holds scenario 8's rows first, \
            with --viewers dashboards (default 100; 10 with --quick) open in the default view on \
            `/api/stream`, the load starting once the server answers the default view's job panel \
            (its job board read; the wait is reported): freshness beside them, the commits each \
            one received, refreshes per second in all, the delay from each commit to each dashboard, \
            and the server's CPU; with --read-warehouse also on MySQL, on 8b's rows (9b), once InnoDB \
            has written them out (at most 30 minutes' wait).
            Scenarios 3, 5c and 9 also time `/healthz`, asked ten times a second during the load \
            on a new connection from a thread of its own, and read the server's own time for those \
            probes from its `/metrics` (the share within 5 ms, and the bucket that holds the p99); \
            they report the bench's own CPU beside the server's, since its clients share the machine.
            --quick runs small sizes in well under a minute. Figures are printed, never judged.
            """
    )

    @Flag(help: "Small sizes, for a smoke run.")
    var quick = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(
        help:
            "Events for the backfill, also the largest history of scenario 2 (default 5,000,000; 100,000 with --quick); with --peer, also the rows of its CSV (default 1,000,000; 20,000 with --quick)."
    )
    var events: Int?

    @Option(help: ArgumentHelp("Events per second for the freshness scenario (default 10,000; 2,000 with --quick).", valueName: "events/s"))
    var rate: Double?

    @Option(help: ArgumentHelp("ETL interval in the freshness scenario.", valueName: "seconds"))
    var interval = 0.25

    @Option(
        help: ArgumentHelp(
            "How long scenarios 3, 5c and 9 post their load (default 30; 5 with --quick); /healthz is probed ten times a second meanwhile.",
            valueName: "seconds"))
    var loadSeconds: Double?

    @Option(help: ArgumentHelp("An empty MySQL/MariaDB database for scenario 5 (needs a build with --traits MySQL).", valueName: "url"))
    var warehouse: String?

    @Option(help: ArgumentHelp("Another empty MySQL/MariaDB database, for scenario 5 through the Spark engine (needs spark-submit).", valueName: "url"))
    var sparkWarehouse: String?

    @Option(help: ArgumentHelp("Another empty MySQL/MariaDB database, for the freshness scenario with the warehouse on MySQL (scenario 5c).", valueName: "url"))
    var freshnessWarehouse: String?

    @Option(
        help: ArgumentHelp(
            "An empty Cassandra keyspace, cassandra://host:9042/keyspace, for scenario 7 (needs --warehouse and --spark-warehouse).", valueName: "url"))
    var cassandra: String?

    @Option(help: ArgumentHelp("Events for scenario 7 (default 200,000; 20,000 with --quick).", valueName: "count"))
    var cassandraEvents: Int?

    @Option(help: ArgumentHelp("Also compare with a peer tool on one CSV (scenario 6); only duckdb is known.", valueName: "peer"))
    var peer: Peer?

    enum Peer: String, ExpressibleByArgument {
        case duckdb
    }

    @Option(help: ArgumentHelp("Folder for the bench's temporary data folders (default: the system's temporary folder).", valueName: "path"))
    var dataDir: String = NSTemporaryDirectory()

    @Option(help: ArgumentHelp("Warehouse rows for the read scenario, 8 (default 1,000,000; 50,000 with --quick).", valueName: "rows"))
    var readRows: Int?

    @Option(help: ArgumentHelp("Days of history the read scenario's rows span (default 90; 10 with --quick).", valueName: "days"))
    var readDays: Int?

    @Option(help: ArgumentHelp("An empty MySQL/MariaDB database for the read scenario on MySQL (8b).", valueName: "url"))
    var readWarehouse: String?

    @Option(help: ArgumentHelp("Open dashboards in scenario 9 (default 100; 10 with --quick).", valueName: "count"))
    var viewers: Int?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if let viewers, !(1...10_000).contains(viewers) { throw ValidationError("--viewers must be between 1 and 10,000") }
        if let loadSeconds, !(1...3600).contains(loadSeconds) { throw ValidationError("--load-seconds must be between 1 and 3,600") }
        if let readRows, readRows < 1 { throw ValidationError("--read-rows must be at least 1") }
        if let readDays, !(2...3650).contains(readDays) { throw ValidationError("--read-days must be between 2 and 3650") }
        if cassandra != nil, warehouse == nil || sparkWarehouse == nil {
            throw ValidationError("--cassandra (scenario 7) needs --warehouse and --spark-warehouse: one warehouse for each engine")
        }
    }

    func run() async throws {
        try LoggingOptions(logLevel: logging.logLevel ?? "warning").bootstrap()
        let root = dataDir + "/jobpulse-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let backfillEvents = events ?? (quick ? 100_000 : 5_000_000)
        let batch = 10_000
        var results: [BenchFigures] = []
        func progress(_ text: String) { if !json { printError("… \(text)") } }

        let lakeDirectory = root + "/backfill"
        let backfill = BackfillScenario(events: backfillEvents, directory: lakeDirectory)
        progress("generating \(grouped(backfillEvents)) events into a lake")
        results.append(try backfill.prepareLake())
        progress("1. backfill")
        results.append(
            try await backfill.run(
                label: "1. backfill into SQLite (Swift engine)", warehouse: "sqlite://" + root + "/backfill-warehouse.db",
                measuresLake: true))
        progress("2. incremental cost")
        let incrementalDirectory = root + "/incremental"
        try FileManager.default.createDirectory(atPath: incrementalDirectory, withIntermediateDirectories: true)
        results.append(
            try await IncrementalScenario(
                directory: incrementalDirectory, histories: [0, backfillEvents / 5, backfillEvents],
                batch: batch
            ).run())
        progress("3. freshness")
        let freshnessDirectory = root + "/freshness"
        try FileManager.default.createDirectory(atPath: freshnessDirectory, withIntermediateDirectories: true)
        let freshness = FreshnessScenario(
            directory: freshnessDirectory, rate: rate ?? (quick ? 2_000 : 10_000), batchSize: 500,
            seconds: loadSeconds ?? (quick ? 5 : 30), interval: interval)
        results.append(try await freshness.run())
        progress("4. ingestion")
        let ingestionDirectory = root + "/ingestion"
        try FileManager.default.createDirectory(atPath: ingestionDirectory, withIntermediateDirectories: true)
        results.append(try await IngestionScenario(directory: ingestionDirectory, batchSize: 500, seconds: quick ? 3 : 20, connections: 8).run())
        let readDirectory = root + "/reads"
        try FileManager.default.createDirectory(atPath: readDirectory, withIntermediateDirectories: true)
        let reads = ReadScenario(directory: readDirectory, rows: readRows ?? (quick ? 50_000 : 1_000_000), days: readDays ?? (quick ? 10 : 90))
        results.append(try await reads.run(progress: progress))
        if let readWarehouse {
            var onMySQL = reads
            onMySQL.mysqlWarehouse = readWarehouse
            results.append(try await onMySQL.run(progress: progress))
        }
        progress("9. live dashboards")
        var watched = freshness
        watched.directory = root + "/viewers"
        watched.viewers = viewers ?? (quick ? 10 : 100)
        watched.history = (reads.rows, reads.days)
        try FileManager.default.createDirectory(atPath: watched.directory, withIntermediateDirectories: true)
        results.append(try await watched.run(label: "9. live dashboards: freshness"))
        if let readWarehouse {
            progress("9b. live dashboards, warehouse on MySQL")
            // 8b's rows are there; InnoDB writes them out for minutes after, which 9b would time too.
            let waited = try await InnoDBWriteOut.wait(url: readWarehouse, limit: 1_800, progress: progress)
            var onMySQL = watched
            onMySQL.directory = root + "/viewers-mysql"
            onMySQL.mysqlWarehouse = readWarehouse
            onMySQL.historyIsWritten = true
            try FileManager.default.createDirectory(atPath: onMySQL.directory, withIntermediateDirectories: true)
            var figures = try await onMySQL.run(label: "9b. live dashboards, warehouse on MySQL (8b's rows): freshness")
            figures.add("waited first for InnoDB to write out 8b's rows", waited, "s")
            results.append(figures)
        }
        if let warehouse {
            progress("5. backfill into MySQL")
            results.append(try await backfill.run(label: "5a. backfill into MySQL (Swift engine)", warehouse: warehouse, countsStatements: true))
        }
        if let sparkWarehouse {
            progress("5. backfill into MySQL through Spark")
            results.append(try backfill.runSpark(label: "5b. backfill into MySQL (Spark engine)", warehouse: sparkWarehouse))
        }
        if let freshnessWarehouse {
            progress("5. freshness with the warehouse on MySQL")
            var onMySQL = freshness
            onMySQL.directory = root + "/freshness-mysql"
            onMySQL.mysqlWarehouse = freshnessWarehouse
            try FileManager.default.createDirectory(atPath: onMySQL.directory, withIntermediateDirectories: true)
            results.append(try await onMySQL.run(label: "5c. freshness, warehouse on MySQL,"))
        }
        if peer == .duckdb {
            progress("6. DuckDB beside jobpulse import + etl")
            let peerDirectory = root + "/peer"
            try FileManager.default.createDirectory(atPath: peerDirectory, withIntermediateDirectories: true)
            results.append(
                try await DuckDBPeerScenario(
                    rows: events ?? (quick ? 20_000 : 1_000_000), directory: peerDirectory,
                    packageDirectory: dataDir + "/jobpulse-bench-duckdb"
                ).run())
        }
        if let cassandra, let warehouse, let sparkWarehouse {
            progress("7. the two engines on a Cassandra lake")
            let cassandraDirectory = root + "/cassandra"
            try FileManager.default.createDirectory(atPath: cassandraDirectory, withIntermediateDirectories: true)
            results += try await CassandraEnginesScenario(
                lake: cassandra, events: cassandraEvents ?? (quick ? 20_000 : 200_000),
                directory: cassandraDirectory, swiftWarehouse: warehouse,
                sparkWarehouse: sparkWarehouse
            ).run()
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print(json ? BenchReport.json(results, cores: cores) : BenchReport.table(results, cores: cores))
    }
}

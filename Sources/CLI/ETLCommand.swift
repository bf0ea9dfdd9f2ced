import ArgumentParser
import Foundation
import JobPulseAlerts
import JobPulseComposition
import JobPulseCore
import JobPulseETL
import JobPulseLake
import JobPulseWarehouse
import Logging
import ServiceLifecycle

struct ETLCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etl",
        abstract: "Run the exactly-once CDC ETL from the lake into the warehouse.",
        discussion: """
            Each batch reads the events after the committed position, aggregates them into hourly \
            funnel metrics per job, publisher, campaign and group, enriches them with company_id \
            from the job table, and commits the deltas and the new position in one warehouse \
            transaction. A crash at any point loses nothing and counts nothing twice. Only one ETL \
            may write for a lake at a time (a lease in etl_state).

            Without --once it runs until SIGINT or SIGTERM, which let the current batch commit, and             evaluates the alert rules after each commit (the --alert-* options; the README states             each rule).

            With --engine spark the batches are aggregated on Apache Spark by the PySpark job in \
            spark/ (same rules, same commit SQL, same lease), started with spark-submit and \
            supervised until it exits; choose it when the stream of new events outgrows one process. \
            It reads SQLite lakes over JDBC and Cassandra lakes with the DataStax Python driver \
            (pip install cassandra-driver pyarrow, on the driver and every executor).
            """
    )

    @Flag(help: "Run until caught up, then exit.")
    var once = false

    @Option(help: "swift (in this process) or spark (the PySpark job in spark/, through spark-submit; needs a MySQL warehouse).")
    var engine: Engine = .swift

    @OptionGroup var spark: SparkOptions

    @OptionGroup var etl: ETLOptions
    @OptionGroup var alerts: AlertOptions
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    enum Engine: String, ExpressibleByArgument, CaseIterable {
        case swift, spark
    }

    func run() async throws {
        try logging.bootstrap()
        let logger = Logger(label: "jobpulse.etl")
        let alertConfiguration = try alerts.configuration()
        if engine == .spark {
            return try await runSpark(logger: logger)
        }
        let lake = try await storage.openLake()
        let warehouse: any Warehouse
        do { warehouse = try await storage.openWarehouse() } catch {
            await lake.close()
            throw error
        }
        let pipeline = ETLPipeline(
            lake: lake, warehouse: warehouse, configuration: etl.configuration, logger: logger,
            checkpoint: CrashPoint.fromEnvironment())
        if once {
            try await withClosing(warehouse, close: { try await $0.close() }) { warehouse in
                try await withClosing(lake, close: { await $0.close() }) { lake in
                    try await runOnce(pipeline, lake: lake, warehouse: warehouse)
                }
            }
            return
        }
        let lakeURL = try storage.lakeURL(dataDirectory: storage.dataDirectory())
        logger.info("ETL running", metadata: ["lake": "\(lakeURL)", "interval_s": "\(etl.interval)"])
        let commits = CommitNotice()
        let etlService = ETLService(pipeline: pipeline, logger: logger) { batch in commits.committed(batch) }
        let alertServices = AlertServices.make(lake: lake, warehouse: warehouse, configuration: alertConfiguration, clock: .system, commits: commits)
        let group = ServiceGroup(
            services: [LakeService(lake: lake), WarehouseService(warehouse: warehouse, logger: logger), etlService] + alertServices,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
    }

    /// Batches until caught up, then the run's and the warehouse's totals.
    private func runOnce(_ pipeline: ETLPipeline, lake: any EventLake, warehouse: any Warehouse) async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let run = try await pipeline.runUntilCaughtUp()
        let seconds = (clock.now - started).inSeconds
        let state = try await warehouse.state(source: lake.kind)
        print(
            """
            caught up at position \(run.position ?? state?.position ?? "none"): \(grouped(run.batches)) batches, \
            \(grouped(run.events)) events = \(grouped(run.funnel)) funnel + \(grouped(run.other)) other, \
            \(grouped(run.grains)) grain updates in \(String(format: "%.2f", seconds)) s; peak memory \(ResourceUsage.peakMemoryMiB) MiB
            """)
        if let state {
            let held = try await lake.count(after: nil)
            print(
                "all time: \(grouped(state.eventsTotal)) events = \(grouped(state.funnelTotal)) funnel + \(grouped(state.otherTotal)) other; the lake holds \(lake.isLowerBound(held) ? "at least " : "")\(grouped(held))"
            )
        }
    }
}

extension ETLCommand {
    /// Starts the Spark engine on the same lake and warehouse and supervises it.
    func runSpark(logger: Logger) async throws {
        let directory = storage.dataDirectory()
        let lake = try storage.lakeURL(dataDirectory: directory)
        let warehouse = try storage.warehouseURL(dataDirectory: directory)
        guard ["mysql", "mariadb"].contains(warehouse.scheme) else {
            throw ValidationError("the Spark engine writes to a MySQL/MariaDB warehouse (--warehouse mysql://…), not to \(warehouse)")
        }
        _ = try await storage.openWarehouse()  // creates the tables, as every command does
        var arguments = [
            "--sql-dir", try WarehouseSQL.directory(), "--interval", String(etl.interval),
            "--batch-size", String(etl.batchSize), "--lease-ttl", String(etl.leaseTTL),
        ]
        if once { arguments.append("--once") }
        var job = try spark.job(arguments: arguments)
        // Storage URLs travel in the environment, so that no password shows in a process list.
        job.environment = [
            JobPulseSettings.Variable.lake.environmentName: lake.text,
            JobPulseSettings.Variable.warehouse.environmentName: warehouse.text,
        ]
        let supervised = job
        try await withTaskCancellationOnSignal { try await supervised.run(logger: logger) }
    }
}

/// Where Spark and the job are, for `--engine spark`.
struct SparkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Spark master for --engine spark: local[*], spark://host:7077, yarn, k8s://… (env JOBPULSE_SPARK_MASTER).", valueName: "url"))
    var sparkMaster: String?

    @Option(help: ArgumentHelp("The spark-submit to run (env JOBPULSE_SPARK_SUBMIT; default: found on the PATH).", valueName: "path"))
    var sparkSubmit: String?

    @Option(help: ArgumentHelp("The job, spark/jobpulse_spark.py (env JOBPULSE_SPARK_JOB; default: found beside the binary).", valueName: "path"))
    var sparkJob: String?

    @Option(
        help: ArgumentHelp(
            "JDBC driver jars for the job, comma-separated (env JOBPULSE_SPARK_JARS; default: Debian's SQLite and MariaDB drivers).", valueName: "jars"))
    var sparkJars: String?

    func job(arguments: [String]) throws -> SparkJob {
        let settings = JobPulseSettings.process
        guard let submit = sparkSubmit ?? settings[.sparkSubmit] ?? SparkJob.locateSparkSubmit() else {
            throw ValidationError("spark-submit not found: install Spark (or `pip install pyspark==4.0.1`) or give --spark-submit")
        }
        guard let script = sparkJob ?? settings[.sparkJob] ?? SparkJob.locateScript(executable: ChildProcess.executable) else {
            throw ValidationError("the Spark job spark/jobpulse_spark.py was not found beside the binary; give --spark-job")
        }
        let jars = (sparkJars ?? settings[.sparkJars] ?? "/usr/share/java/sqlite-jdbc.jar,/usr/share/java/mariadb-java-client.jar")
            .split(separator: ",").map(String.init)
        return SparkJob(
            sparkSubmit: submit, master: sparkMaster ?? settings[.sparkMaster] ?? "local[*]",
            script: script, jars: jars, arguments: arguments)
    }
}

/// How the ETL batches, shared by `etl`, `serve` and `demo`.
struct ETLOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds between batches once caught up.", valueName: "seconds"))
    var interval = 1.0

    @Option(help: "Most events per batch.")
    var batchSize = 50_000

    @Option(help: ArgumentHelp("Seconds the single-writer lease lasts without renewal.", valueName: "seconds"))
    var leaseTTL = 15.0

    func validate() throws {
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard leaseTTL > 0 else { throw ValidationError("--lease-ttl must be positive") }
    }

    var configuration: ETLConfiguration {
        ETLConfiguration(batchSize: batchSize, interval: .milliseconds(Int64(interval * 1000)), leaseTTL: .milliseconds(Int64(leaseTTL * 1000)))
    }
}

/// A test hook: `JOBPULSE_CRASH_AT=step:N` ends the process abruptly (no cleanup, like a kill)
/// at that step of its N-th batch, so that tests can prove a real crash loses and doubles nothing.
enum CrashPoint {
    static func fromEnvironment() -> @Sendable (BatchStep) throws -> Void {
        guard let spec = JobPulseSettings.process[.crashAt] else { return { _ in } }
        let parts = spec.split(separator: ":")
        guard let step = parts.first.flatMap({ BatchStep(rawValue: String($0)) }) else { return { _ in } }
        let batch = parts.count > 1 ? Int(parts[1]) ?? 1 : 1
        let seen = Counter()
        return { current in
            if current == .read { seen.increment() }
            if current == step, seen.value == batch { _exit(86) }
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        func increment() { lock.withLock { count += 1 } }
        var value: Int { lock.withLock { count } }
    }
}

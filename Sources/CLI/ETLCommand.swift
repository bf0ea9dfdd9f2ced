import ArgumentParser
import Foundation
import JobPulseCore
import JobPulseETL
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

            Without --once it runs until SIGINT or SIGTERM, which let the current batch commit.
            """
    )

    @Flag(help: "Run until caught up, then exit.")
    var once = false

    @OptionGroup var etl: ETLOptions
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let logger = Logger(label: "jobpulse.etl")
        let pipeline = ETLPipeline(
            lake: try await storage.openLake(),
            warehouse: try await storage.openWarehouse(),
            configuration: etl.configuration,
            logger: logger,
            checkpoint: CrashPoint.fromEnvironment()
        )
        if once {
            let run = try await pipeline.runUntilCaughtUp()
            let state = try await pipeline.warehouse.state(source: pipeline.lake.kind)
            print("""
                caught up at position \(run.position ?? state?.position ?? "none"): \(grouped(run.batches)) batches, \
                \(grouped(run.events)) events = \(grouped(run.funnel)) funnel + \(grouped(run.other)) other, \
                \(grouped(run.grains)) grain updates
                """)
            if let state {
                print("all time: \(grouped(state.eventsTotal)) events = \(grouped(state.funnelTotal)) funnel + \(grouped(state.otherTotal)) other; the lake holds \(grouped(try await pipeline.lake.count(after: nil)))")
            }
            await pipeline.lake.close()
            return
        }
        let lakeURL = try storage.lakeURL(dataDirectory: storage.dataDirectory())
        logger.info("ETL running", metadata: ["lake": "\(lakeURL)", "interval_s": "\(etl.interval)"])
        let group = ServiceGroup(
            services: [ETLService(pipeline: pipeline)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        try await group.run()
        await pipeline.lake.close()
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

/// The continuous ETL as a service: graceful shutdown lets the running batch finish.
struct ETLService: Service {
    let pipeline: ETLPipeline
    var wake: WakeSignal?
    var onBatch: (@Sendable (BatchReport) -> Void)?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await pipeline.run(wake: wake, onBatch: onBatch)
        }
    }
}

/// A test hook: `JOBPULSE_CRASH_AT=step:N` ends the process abruptly (no cleanup, like a kill)
/// at that step of its N-th batch, so that tests can prove a real crash loses and doubles nothing.
enum CrashPoint {
    static func fromEnvironment() -> @Sendable (BatchStep) throws -> Void {
        guard let spec = ProcessInfo.processInfo.environment["JOBPULSE_CRASH_AT"] else { return { _ in } }
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

import ArgumentParser
import Foundation
import JobPulseClock
import JobPulseComposition
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseServer
import JobPulseWarehouse
import Logging
import ServiceLifecycle

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole pipeline on generated traffic, with the live dashboard.",
        discussion: """
            Creates a data folder (./jobpulse-demo by default) with an SQLite lake and warehouse, \
            loads a generated job dimension and --history events spread over the last two days, \
            then sends --rate live events a second into the lake while the ETL commits them every \
            second, and serves the live dashboard (http://127.0.0.1:8080/ by default). Stop it with \
            Ctrl-C; run it again to continue where it stopped.
            """
    )

    @Option(help: ArgumentHelp("Live events per second.", valueName: "events/s"))
    var rate = 200.0

    @Option(help: "Events of history to generate on the first run.")
    var history = 30_000

    @Flag(help: "Do not try to open the dashboard in a browser.")
    var noOpen = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var alerts: AlertOptions
    @OptionGroup var etl: ETLOptions
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        let directory = storage.dataDirectory(default: "jobpulse-demo")
        // The demo's lake and warehouse live as long as this scope, which closes them on every path.
        try await withClosing(try await storage.openLake(dataDirectory: directory), close: { await $0.close() }) { lake in
            try await withClosing(try await storage.openWarehouse(dataDirectory: directory), close: { try await $0.close() }) { warehouse in
                try await run(lake: lake, warehouse: warehouse, directory: directory)
            }
        }
        printNow("stopped; data kept in \(directory)")
    }

    /// Jobs and history when the data folder is new, then the server, the ETL and live traffic
    /// until Ctrl-C.
    private func run(lake: any EventLake, warehouse: any Warehouse, directory: String) async throws {
        printNow("JobPulse demo in \(URL(fileURLWithPath: directory).path)")

        let seed = UInt64(Date().timeIntervalSince1970)
        var generator = TrafficGenerator(seed: seed)
        if try await warehouse.jobCount() == 0 {
            try await warehouse.upsertJobs(generator.jobs)
            printNow("loaded \(generator.jobs.count) jobs")
        }
        if try await lake.count(after: nil) == 0, history > 0 {
            var feed = TrafficFeed(generator: generator, lake: lake)
            let bar = ProgressBar()
            try await feed.backfill(total: history, span: .seconds(2 * 86_400)) { done in
                bar.update(fraction: Double(done) / Double(history), detail: "\(grouped(done)) events of history")
            }
            bar.finish()
            generator = feed.generator
            printNow("generated \(grouped(feed.count.accepted)) events of history (\(grouped(feed.count.rejected)) rejected into the quarantine)")
        }

        JobPulseServer.bootstrapMetrics()
        let pipeline = ETLPipeline(lake: lake, warehouse: warehouse, configuration: etl.configuration, logger: Logger(label: "jobpulse.etl"))
        let server = JobPulseServer(
            configuration: try self.server.configuration(), lake: lake, warehouse: warehouse, pipeline: pipeline, alerts: try alerts.configuration())
        let liveRate = rate
        let openBrowser = !noOpen
        let services =
            try server.services { port in
                let url = "http://\(server.configuration.host == "0.0.0.0" ? "127.0.0.1" : server.configuration.host):\(port)/"
                printNow("dashboard: \(url)")
                printNow("sending \(liveRate) events/s; Ctrl-C to stop")
                if openBrowser { BrowserLauncher.open(url) }
            } + [
                LiveTrafficService(feed: TrafficFeed(generator: generator, lake: lake), rate: liveRate, wake: server.wake),
                SummaryService(lake: lake, warehouse: warehouse),
            ]
        let group = ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: Logger(label: "jobpulse.demo"))
        try await group.run()
    }
}

/// Generated traffic arriving live.
struct LiveTrafficService: Service {
    let feed: TrafficFeed
    let rate: Double
    let wake: WakeSignal

    func run() async throws {
        let (feed, rate, wake) = (self.feed, self.rate, self.wake)
        try await cancelWhenGracefulShutdown {
            var running = feed
            try await running.live(rate: rate, duration: nil) { wake.signal() }
        }
    }
}

/// Prints one line every two seconds with what the pipeline holds.
struct SummaryService: Service {
    let lake: any EventLake
    let warehouse: any Warehouse

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                guard !Task.isCancelled, let line = try? await summary() else { continue }
                printNow(line)
            }
        }
    }

    private func summary() async throws -> String {
        let state = try await warehouse.state(source: lake.kind)
        let lag = try await lake.count(after: state?.position.map(LakePosition.init))
        let totals = try await warehouse.totals(DashboardFilter())
        let now = WallClock.system.now
        let age = state?.newestEventTime.map { String(format: "%.1f s", Double(now - $0) / 1000) } ?? "-"
        let m = totals.metrics
        return "\(Timestamp.iso8601(now).dropFirst(11).prefix(8))  lake \(grouped(try await lake.count(after: nil))) events · "
            + "\(grouped(m.clicks)) clicks · \(grouped(m.qualified + m.unqualified)) applications · \(grouped(m.conversions)) conversions · "
            + "spend \(money(m.spendMicros)) · \(grouped(try await warehouse.factCount())) rows · lag \(grouped(lag)) · data age \(age)"
    }
}

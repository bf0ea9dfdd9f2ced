import Foundation
import Hummingbird
import HummingbirdCore
import JobPulseAlerts
import JobPulseClock
import JobPulseCore
import JobPulseETL
import JobPulseLake
import JobPulseWarehouse
import Logging
import Metrics
import NIOCore
import Prometheus
import ServiceLifecycle

/// `jobpulse serve`: one HTTP server that collects events into the lake and shows the live
/// dashboard, with the ETL running beside it (unless another process runs it).
///
/// Shutdown order matters and follows the services' order in reverse: open dashboard streams
/// end, the HTTP server stops accepting and answers what it accepted, then the ETL commits what
/// is left in the lake and releases its lease.
public struct JobPulseServer: Sendable {
    public let configuration: ServerConfiguration
    public let lake: any EventLake
    public let warehouse: any Warehouse
    /// The in-process ETL, committing through the dashboard's ``LiveJobBoards``; `nil` for a
    /// collector that leaves the ETL to another process.
    public let pipeline: ETLPipeline?
    let registry: PrometheusCollectorRegistry
    /// The lake's lag, as `/healthz` and `/api/summary` show it.
    let lag: LakeLag
    /// The dashboard's answers, each computed once per commit (``CommitCachedDashboard``).
    let answers: DashboardAnswers
    /// The commits and the default view's figures, to every open dashboard.
    let feed: CommitFeed
    /// Wakes the in-process ETL; whatever else writes into the lake in this process may signal it.
    public let wake = WakeSignal()
    /// What the in-process ETL tells after each commit; nil without one.
    let commits: CommitNotice?
    let logger: Logger
    /// For data ages, commit times and the pixel's default `ts`.
    let clock: WallClock
    /// The alert rules' thresholds and the webhooks; evaluated where the ETL runs.
    let alerts: AlertConfiguration

    /// Metrics go to a Prometheus registry served at `/metrics`; bootstrap the metrics system
    /// with ``makeMetricsFactory()`` once per process before creating the server.
    public init(
        configuration: ServerConfiguration, lake: any EventLake, warehouse: any Warehouse, pipeline: ETLPipeline?,
        registry: PrometheusCollectorRegistry = PrometheusMetricsFactory.defaultRegistry,
        logger: Logger = Logger(label: "jobpulse.server"), clock: WallClock = .system, alerts: AlertConfiguration = AlertConfiguration()
    ) {
        self.clock = clock
        self.alerts = alerts
        self.configuration = configuration
        self.lake = lake
        self.warehouse = warehouse
        // The in-process ETL commits through the job boards, which follow its commits.
        let boards = pipeline == nil ? nil : LiveJobBoards(base: warehouse, source: lake.kind, clock: clock)
        self.pipeline = boards.map { pipeline!.committing(through: $0) }
        self.commits = pipeline == nil ? nil : CommitNotice(clock: clock)
        self.registry = registry
        self.logger = logger
        lag = LakeLag(lake: lake, commits: commits, clock: clock)
        answers = DashboardAnswers(
            source: lake.kind, lag: lag, warehouse: CommitCachedDashboard(base: boards ?? warehouse, source: lake.kind, clock: clock),
            clock: clock)
        feed = CommitFeed(defaultView: DefaultView(answers: answers, warehouse: warehouse, clock: clock, boards: boards), logger: logger)
    }

    /// Routes metrics recorded anywhere in the process to the registry behind `/metrics`.
    public static func bootstrapMetrics() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusMetricsFactory.defaultRegistry))
    }

    public func makeRouter() throws -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: RequestDurationMiddleware(registry: registry))
        router.add(middleware: LogRequestsMiddleware(.debug))
        IngestionRoutes(
            collector: Collector(lake: GroupCommitLake(base: lake), wake: pipeline == nil ? nil : wake), configuration: configuration,
            clock: clock
        )
        .register(on: router)
        OperationsRoutes(
            lake: lake, lag: lag, warehouse: warehouse, warehouseHealth: WarehouseHealth(warehouse: warehouse, source: lake.kind, clock: clock),
            registry: registry, runsETL: pipeline != nil, clock: clock
        ).register(on: router)
        let dashboard = router.group()
        if let credentials = configuration.dashboardCredentials {
            dashboard.add(middleware: BasicAuthMiddleware(user: credentials.user, password: credentials.password))
        }
        dashboard.add(middleware: WarehouseUnavailableMiddleware())
        DashboardRoutes(answers: answers, feed: feed, page: try Self.dashboardPage()).register(on: dashboard)
        let budgets = BudgetRoutes(warehouse: warehouse, clock: clock)
        budgets.registerReads(on: dashboard)
        AlertRoutes(warehouse: warehouse).register(on: dashboard)
        let writes = router.group()
        writes.add(middleware: APIKeyMiddleware(check: APIKeyCheck(keys: configuration.apiKeys)))
        writes.add(middleware: WarehouseUnavailableMiddleware())
        budgets.registerWrites(on: writes)
        return router
    }

    /// The dashboard page, shipped as a resource of this module.
    static func dashboardPage() throws -> ByteBuffer {
        guard let url = Bundle.module.url(forResource: "index", withExtension: "html", subdirectory: "Dashboard") else {
            throw ServerError.missingResource("Dashboard/index.html")
        }
        return ByteBuffer(bytes: try Data(contentsOf: url))
    }

    /// The services to run together: the HTTP application, the ETL, the alerts, and the commit feed. The
    /// caller runs them in one `ServiceGroup`, after the services that own the lake and the
    /// warehouse (`LakeService`, `WarehouseService`), so that those close last. `onRunning`
    /// receives the bound port (useful with port 0).
    public func services(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> [any Service] {
        let (header, body, idle) = (configuration.headerTimeout, configuration.bodyTimeout, configuration.idleTimeout)
        let app = Application(
            router: try makeRouter(),
            server: HTTPServerBuilder { responder in
                TimedHTTP1Channel(
                    responder: responder, headerTimeout: TimeAmount(header), bodyTimeout: TimeAmount(body),
                    idleTimeout: TimeAmount(idle))
            },
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port), serverName: "JobPulse"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        var services: [any Service] = []
        // First, so that it stops last: the ETL's final batch still needs the warehouse.
        if let warehouse = warehouse as? WarehouseOpenedInBackground {
            services.append(WarehouseOpeningService(warehouse: warehouse, logger: logger))
        }
        if let pipeline, let commits {
            let (feed, clock) = (self.feed, self.clock)
            services.append(
                ETLService(pipeline: pipeline, wake: wake, catchesUpOnShutdown: true, logger: logger) { batch in
                    feed.publish(position: batch.to, committedAt: Timestamp.iso8601(clock.now))
                    commits.committed(batch)
                })
            services += AlertServices.make(lake: lake, warehouse: warehouse, configuration: alerts, clock: clock, commits: commits)
        }
        services.append(app)
        services.append(feed)
        return services
    }
}

enum ServerError: Error, CustomStringConvertible {
    case missingResource(String)
    var description: String {
        switch self {
        case .missingResource(let name):
            "the resource \(name) is missing next to the jobpulse binary (copy the JobPulse_JobPulseServer.resources folder with it)"
        }
    }
}

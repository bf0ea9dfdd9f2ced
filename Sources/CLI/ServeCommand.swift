import ArgumentParser
import Foundation
import JobPulseComposition
import JobPulseETL
import JobPulseServer
import JobPulseWarehouse
import Logging
import ServiceLifecycle

/// The HTTP server's settings, shared by `serve` and `demo`.
struct ServerOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Address to listen on (env JOBPULSE_HOST; 0.0.0.0 for every interface).", valueName: "address"))
    var host: String?

    @Option(help: ArgumentHelp("Port to listen on (env JOBPULSE_PORT; 0 picks a free one).", valueName: "port"))
    var port: Int?

    @Option(help: ArgumentHelp("Largest request body in bytes; larger ones get 413 (env JOBPULSE_MAX_BODY).", valueName: "bytes"))
    var maxBody: Int?

    @Option(
        name: .customLong("api-key"),
        help: ArgumentHelp(
            "A key accepted for ingestion, as `Authorization: Bearer <key>`; repeat for several (env JOBPULSE_API_KEYS, comma-separated). Without one, ingestion is open.",
            valueName: "key"))
    var apiKeys: [String] = []

    @Option(help: ArgumentHelp("User for the dashboard's HTTP basic login (env JOBPULSE_DASHBOARD_USER).", valueName: "user"))
    var dashboardUser: String?

    @Option(help: ArgumentHelp("Password for the dashboard's login (env JOBPULSE_DASHBOARD_PASSWORD).", valueName: "password"))
    var dashboardPassword: String?

    @Option(
        name: .customLong("redirect-host"),
        help: ArgumentHelp("A host that GET /t/{kind}?redirect= may send browsers to; repeat for several.", valueName: "host"))
    var redirectHosts: [String] = []

    @Option(
        help: ArgumentHelp(
            "Seconds a request head may take to arrive after its first byte; slower connections are closed (env JOBPULSE_HEADER_TIMEOUT; default 10).",
            valueName: "seconds"))
    var headerTimeout: Double?

    @Option(
        help: ArgumentHelp(
            "Seconds a request body may take to arrive after its head; slower connections are closed (env JOBPULSE_BODY_TIMEOUT; default 30).",
            valueName: "seconds"))
    var bodyTimeout: Double?

    @Option(
        help: ArgumentHelp(
            "Seconds a keep-alive connection may wait for its next request before it is closed (env JOBPULSE_IDLE_TIMEOUT; default 60).", valueName: "seconds"))
    var idleTimeout: Double?

    @OptionGroup var admission: AdmissionOptions

    func configuration(defaultPort: Int = 8080) throws -> ServerConfiguration {
        let settings = JobPulseSettings.process
        let keys = apiKeys + (settings[.apiKeys]?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? [])
        let user = dashboardUser ?? settings[.dashboardUser]
        let password = dashboardPassword ?? settings[.dashboardPassword]
        guard (user == nil) == (password == nil) else {
            throw ValidationError("give both --dashboard-user and --dashboard-password, or neither")
        }
        guard let port = port ?? settings[.port].flatMap(Int.init) ?? Optional(defaultPort), (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535")
        }
        let maxBody = maxBody ?? settings[.maxBody].flatMap(Int.init) ?? 4 << 20
        guard maxBody > 0 else { throw ValidationError("--max-body must be positive") }
        func timeout(_ given: Double?, _ variable: JobPulseSettings.Variable, _ option: String, default fallback: Double) throws -> Duration {
            let seconds = given ?? settings[variable].flatMap(Double.init) ?? fallback
            guard seconds.isFinite, seconds > 0, seconds <= 86_400 else { throw ValidationError("--\(option) must be between 0 and 86400 seconds") }
            return .milliseconds(Int64((seconds * 1000).rounded(.up)))
        }
        return ServerConfiguration(
            host: host ?? settings[.host] ?? "127.0.0.1",
            port: port,
            maxBodyBytes: maxBody,
            apiKeys: keys.filter { !$0.isEmpty },
            dashboardCredentials: user.flatMap { u in password.map { (u, $0) } },
            redirectHosts: Set(redirectHosts.map { $0.lowercased() }),
            headerTimeout: try timeout(headerTimeout, .headerTimeout, "header-timeout", default: 10),
            bodyTimeout: try timeout(bodyTimeout, .bodyTimeout, "body-timeout", default: 30),
            idleTimeout: try timeout(idleTimeout, .idleTimeout, "idle-timeout", default: 60),
            futureTolerance: try admission.futureTolerance()
        )
    }
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP collector and the live dashboard, with the ETL beside them.",
        discussion: """
            POST /v1/events (JSON array or NDJSON) and GET /t/{kind} (pixel or redirect) store \
            events in the lake before answering; the in-process ETL commits them within about one \
            --interval. GET / is the live dashboard, /api/... its data, /metrics Prometheus, \
            /healthz the state of lake, warehouse and ETL. SIGINT or SIGTERM stop accepting, answer \
            what was accepted, commit the last batch, and exit 0.

            With --no-etl the server only collects (for several collector replicas in front of one \
            `jobpulse etl`).

            The server starts without its warehouse: it opens (and migrates) it in the background, \
            retrying with backoff, so that collecting never waits for the database. Until then \
            /healthz and the dashboard's API answer 503, and the ETL catches up once it is open.
            """
    )

    @Flag(help: "Do not run the ETL in this process.")
    var noETL = false

    @OptionGroup var server: ServerOptions
    @OptionGroup var alerts: AlertOptions
    @OptionGroup var etl: ETLOptions
    @OptionGroup var storage: StorageOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        try logging.bootstrap()
        JobPulseServer.bootstrapMetrics()
        let configuration = try server.configuration()
        let lake = try await storage.openLake()
        let warehouseURL = try storage.warehouseURL(dataDirectory: storage.dataDirectory())
        let warehouse = WarehouseOpenedInBackground(
            kind: warehouseURL.scheme == "sqlite" ? "sqlite" : "mysql",
            location: warehouseURL.description
        ) { [storage] in
            try await storage.openWarehouse()
        }
        let pipeline =
            noETL
            ? nil
            : ETLPipeline(
                lake: lake, warehouse: warehouse, configuration: etl.configuration,
                logger: Logger(label: "jobpulse.etl"))
        let host = configuration.host
        let logger = Logger(label: "jobpulse.server")
        let services: [any Service]
        do {
            services = try JobPulseServer(
                configuration: configuration, lake: lake, warehouse: warehouse, pipeline: pipeline, alerts: try alerts.configuration()
            ).services { port in
                printNow("JobPulse listening on http://\(host):\(port)/  (dashboard at /, events at POST /v1/events)")
            }
        } catch {
            await lake.close()  // the group that would own it never starts
            throw error
        }
        // The lake and the warehouse first, so that they close last, whatever ends the group.
        let owners: [any Service] = [LakeService(lake: lake), WarehouseService(warehouse: warehouse, logger: logger)]
        try await ServiceGroup(services: owners + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
    }
}

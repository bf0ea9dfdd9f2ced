import Foundation
import Hummingbird
import JobPulseClock
import JobPulseLake
import JobPulseWarehouse
import Prometheus

/// `GET /healthz` and `GET /metrics`.
struct OperationsRoutes: Sendable {
    let lake: any EventLake
    let lag: LakeLag
    let warehouse: any DashboardWarehouse
    /// The warehouse's state and row count, as the probes see them.
    let warehouseHealth: WarehouseHealth
    let registry: PrometheusCollectorRegistry
    /// Whether this process runs the ETL (a collector-only replica does not).
    let runsETL: Bool
    let clock: WallClock

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/healthz") { _, _ in try await health() }
    }

    /// 200 while this process can do its work, 503 when it cannot. A collector-only replica
    /// needs only the lake: with the warehouse down it still collects, so it answers 200 with
    /// `status` `degraded` (and the warehouse's error), and a load balancer keeps routing events
    /// to it. A process that runs the ETL needs both.
    func health() async throws -> Response {
        var lake = HealthResponse.Part(kind: self.lake.kind, ok: true)
        var warehouse = HealthResponse.Part(kind: self.warehouse.kind, ok: true)
        var etl = HealthResponse.ETL(runningHere: runsETL)
        var position: String?
        switch await warehouseHealth.reading() {
        case .success(let reading):
            let state = reading.state
            position = state?.position
            warehouse.rows = reading.rows
            etl.committed = .init(
                position: state?.position, lastCommitAt: state?.lastBatchAt.map(DashboardAnswers.iso8601),
                dataAgeSeconds: DashboardAnswers.dataAge(newestEventTime: state?.newestEventTime, now: clock.now),
                leaseOwner: state?.leaseOwner, unusableEvents: state?.unusableTotal ?? 0)
        case .failure(let error):
            warehouse = HealthResponse.Part(kind: self.warehouse.kind, ok: false, error: "\(error)")
        }
        do {
            // The lag the ETL last measured, or a count shared with every request of the second.
            let lag = try await self.lag.reading(after: position)
            etl.lag = .init(lagEvents: lag.events, lagIsLowerBound: lag.isLowerBound)
        } catch {
            lake = HealthResponse.Part(kind: self.lake.kind, ok: false, error: "\(error)")
        }
        let healthy = lake.ok && (warehouse.ok || !runsETL)
        let status: HealthResponse.Status = !healthy ? .unavailable : warehouse.ok ? .ok : .degraded
        return try Response.json(HealthResponse(status: status, lake: lake, warehouse: warehouse, etl: etl), status: healthy ? .ok : .serviceUnavailable)
    }
}

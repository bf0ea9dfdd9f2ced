import Foundation
import Hummingbird
import JobPulseClock
import JobPulseLake
import JobPulseWarehouse
import Prometheus

/// `GET /healthz` and `GET /metrics`.
struct OperationsRoutes: Sendable {
    let lake: any EventLake
    let warehouse: any DashboardWarehouse
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
        var lakeOK = true
        var warehouseOK = true
        var lakeStatus: [(String, JSONValue)] = [("kind", .string(lake.kind))]
        var position: String?
        var etl: [(String, JSONValue)] = [("running_here", .bool(runsETL))]
        var warehouseStatus: [(String, JSONValue)] = [("kind", .string(warehouse.kind))]
        do {
            let state = try await warehouse.state(source: lake.kind)
            position = state?.position
            warehouseStatus += [("ok", .bool(true)), ("rows", .int(Int64(try await warehouse.factCount())))]
            let now = clock.now
            etl += [
                ("position", .optional(state?.position)),
                ("last_commit_at", .optional(state?.lastBatchAt.map(DashboardRoutes.iso8601))),
                ("data_age_seconds", DashboardRoutes.dataAge(newestEventTime: state?.newestEventTime, now: now)),
                ("lease_owner", .optional(state?.leaseOwner)),
                ("unusable_events", .int(state?.unusableTotal ?? 0)),
            ]
        } catch {
            warehouseOK = false
            warehouseStatus += [("ok", .bool(false)), ("error", .string("\(error)"))]
        }
        do {
            // The lag only, never the whole lake: a probe's work stays that of the events not yet
            // committed (on Cassandra, at most the lake's count_limit).
            let lag = try await lake.count(after: position.map(LakePosition.init))
            lakeStatus.append(("ok", .bool(true)))
            etl += [("lag_events", .int(Int64(lag))), ("lag_is_lower_bound", .bool(lake.isLowerBound(lag)))]
        } catch {
            lakeOK = false
            lakeStatus += [("ok", .bool(false)), ("error", .string("\(error)"))]
        }
        let healthy = lakeOK && (warehouseOK || !runsETL)
        let body = JSONValue.object([
            ("status", .string(!healthy ? "unavailable" : warehouseOK ? "ok" : "degraded")),
            ("lake", .object(lakeStatus)), ("warehouse", .object(warehouseStatus)), ("etl", .object(etl)),
        ])
        return Response.json(body, status: healthy ? .ok : .serviceUnavailable)
    }
}

import Foundation
import Hummingbird
import JobPulseLake
import JobPulseWarehouse
import Prometheus

/// `GET /healthz` and `GET /metrics`.
struct OperationsRoutes: Sendable {
    let lake: any EventLake
    let warehouse: any Warehouse
    let registry: PrometheusCollectorRegistry
    /// Whether this process runs the ETL (a collector-only replica does not).
    let runsETL: Bool

    func register(on router: Router<BasicRequestContext>) {
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
        router.get("/healthz") { _, _ in try await health() }
    }

    func health() async throws -> Response {
        var healthy = true
        var lakeStatus: [(String, JSONValue)] = [("kind", .string(lake.kind))]
        var position: String?
        var etl: [(String, JSONValue)] = [("running_here", .bool(runsETL))]
        var warehouseStatus: [(String, JSONValue)] = [("kind", .string(warehouse.kind))]
        do {
            let state = try await warehouse.state(source: lake.kind)
            position = state?.position
            warehouseStatus += [("ok", .bool(true)), ("rows", .int(Int64(try await warehouse.factCount())))]
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            etl += [
                ("position", .optional(state?.position)),
                ("last_commit_at", .optional(state?.lastBatchAt.map(DashboardRoutes.iso8601))),
                ("data_age_seconds", DashboardRoutes.dataAge(newestEventTime: state?.newestEventTime, now: now)),
                ("lease_owner", .optional(state?.leaseOwner)),
                ("unusable_events", .int(state?.unusableTotal ?? 0)),
            ]
        } catch {
            healthy = false
            warehouseStatus += [("ok", .bool(false)), ("error", .string("\(error)"))]
        }
        do {
            lakeStatus += [("ok", .bool(true)), ("events", .int(Int64(try await lake.count(after: nil))))]
            etl.append(("lag_events", .int(Int64(try await lake.count(after: position.map(LakePosition.init))))))
        } catch {
            healthy = false
            lakeStatus += [("ok", .bool(false)), ("error", .string("\(error)"))]
        }
        let body = JSONValue.object([
            ("status", .string(healthy ? "ok" : "unavailable")),
            ("lake", .object(lakeStatus)), ("warehouse", .object(warehouseStatus)), ("etl", .object(etl)),
        ])
        return Response.json(body, status: healthy ? .ok : .serviceUnavailable)
    }
}

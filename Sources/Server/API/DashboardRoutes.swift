import Foundation
import Hummingbird
import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseWarehouse

/// The page at `/` and the JSON behind each of its panels under `/api`. Every figure comes from
/// a warehouse query; the page only formats them.
struct DashboardRoutes: Sendable {
    let lake: any EventLake
    let warehouse: any DashboardWarehouse
    let feed: CommitFeed
    let page: ByteBuffer
    let clock: WallClock

    func register(on group: RouterGroup<BasicRequestContext>) {
        group.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                body: ResponseBody(byteBuffer: page))
        }
        group.get("/api/summary") { request, _ in Response.json(try await summary(DashboardFilter(query: request))) }
        group.get("/api/top-jobs") { request, _ in
            let limit = try IntegerParameter.limit.value(in: request) ?? 10
            return Response.json(try await topJobs(DashboardFilter(query: request), limit: limit))
        }
        group.get("/api/hourly") { request, _ in Response.json(try await hourly(DashboardFilter(query: request))) }
        group.get("/api/publishers") { request, _ in
            Response.json(try await breakdown(DashboardFilter(query: request), by: .publisher))
        }
        group.get("/api/campaigns") { request, _ in
            Response.json(try await breakdown(DashboardFilter(query: request), by: .campaign))
        }
        group.get("/api/filters") { _, _ in
            let values = try await warehouse.filterValues()
            return Response.json(
                .object([
                    ("publishers", .array(values.publishers.map { .int(Int64($0)) })),
                    ("campaigns", .array(values.campaigns.map { .int(Int64($0)) })),
                ]))
        }
        group.get("/api/stream") { _, _ in
            let stream = feed.subscribe()
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    for await message in stream { try await writer.write(ByteBuffer(string: message)) }
                    try await writer.finish(nil)
                }
            )
        }
    }

    func summary(_ filter: DashboardFilter) async throws -> JSONValue {
        let totals = try await warehouse.totals(filter)
        let gauges = try await warehouse.dayGauges(filter)
        let state = try await warehouse.state(source: lake.kind)
        let lag = try await lake.count(after: state?.position.map(LakePosition.init))
        let now = clock.now
        let m = totals.metrics
        return .object([
            (
                "range",
                .object([
                    ("from", filter.from.map { .string(Timestamp.iso8601($0)) } ?? .null),
                    ("to", filter.to.map { .string(Timestamp.iso8601($0)) } ?? .null),
                ])
            ),
            (
                "totals",
                .object([
                    ("active_jobs", .int(totals.activeJobs)), ("clicks", .int(m.clicks)), ("conversions", .int(m.conversions)),
                    ("qualified_applications", .int(m.qualified)), ("disqualified_applications", .int(m.unqualified)),
                    ("spend", .double(m.spend)),
                ])
            ),
            (
                "gauges",
                .object([
                    ("day", .optional(gauges.day)), ("qualified_share", .optional(gauges.qualifiedShare)),
                    ("disqualified_share", .optional(gauges.disqualifiedShare)),
                    ("qualified_applications", .int(gauges.qualified)), ("disqualified_applications", .int(gauges.disqualified)),
                ])
            ),
            (
                "freshness",
                .object([
                    ("newest_event_at", state?.newestEventTime.map { .string(Timestamp.iso8601($0)) } ?? .null),
                    ("data_age_seconds", Self.dataAge(newestEventTime: state?.newestEventTime, now: now)),
                    ("last_commit_at", .optional(state?.lastBatchAt.map(Self.iso8601))),
                    ("lag_events", .int(Int64(lag))),
                    ("lag_is_lower_bound", .bool(lake.isLowerBound(lag))),
                ])
            ),
        ])
    }

    /// Seconds from the newest committed event to `now`; 0 when that event lies in the future
    /// (a client's clock, or a `ts` of 9999-12-31), so that the age is never negative.
    static func dataAge(newestEventTime: Int64?, now: Int64) -> JSONValue {
        newestEventTime.map { .double(Double(max(0, now - $0)) / 1000) } ?? .null
    }

    /// `YYYY-MM-DD HH:MM:SS.fff` (UTC, as stored) as ISO 8601.
    static func iso8601(_ sqlTime: String) -> String {
        sqlTime.replacingOccurrences(of: " ", with: "T") + "Z"
    }

    func topJobs(_ filter: DashboardFilter, limit: Int) async throws -> JSONValue {
        .object([
            (
                "jobs",
                .array(
                    try await warehouse.topJobs(filter, limit: limit).map { job in
                        .object([
                            ("job_id", .int(Int64(job.jobID))), ("title", .optional(job.title)), ("company_id", .optional(job.companyID)),
                            ("clicks", .int(job.metrics.clicks)), ("spend", .double(job.metrics.spend)),
                            ("conversions", .int(job.metrics.conversions)),
                        ])
                    })
            )
        ])
    }

    func hourly(_ filter: DashboardFilter) async throws -> JSONValue {
        .object([
            (
                "points",
                .array(
                    try await warehouse.hourly(filter).map { point in
                        .object([
                            ("hour", .string(point.hour.iso8601)), ("clicks", .int(point.clicks)),
                            ("spend", .double(Money.amount(micros: point.spendMicros))),
                        ])
                    })
            )
        ])
    }

    func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> JSONValue {
        .object([
            (
                "rows",
                .array(
                    try await warehouse.breakdown(filter, by: dimension).map { row in
                        .object([
                            (dimension.rawValue, .int(Int64(row.id))), ("clicks", .int(row.metrics.clicks)), ("spend", .double(row.metrics.spend)),
                            ("cpc", .optional(row.costPerClick)), ("conversions", .int(row.metrics.conversions)),
                            ("conversion_rate", .optional(row.conversionRate)), ("qualified_applications", .int(row.metrics.qualified)),
                            ("disqualified_applications", .int(row.metrics.unqualified)),
                        ])
                    })
            )
        ])
    }
}

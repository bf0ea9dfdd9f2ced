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
    let lag: LakeLag
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
        group.get("/api/summary") { request, _ in try Response.json(try await summary(DashboardFilter(query: request))) }
        group.get("/api/top-jobs") { request, _ in
            let limit = try IntegerParameter.limit.value(in: request) ?? 10
            return try Response.json(TopJobsResponse(try await warehouse.topJobs(DashboardFilter(query: request), limit: limit)))
        }
        group.get("/api/hourly") { request, _ in try Response.json(HourlyResponse(try await warehouse.hourly(DashboardFilter(query: request)))) }
        group.get("/api/publishers") { request, _ in try await breakdown(request, by: .publisher) }
        group.get("/api/campaigns") { request, _ in try await breakdown(request, by: .campaign) }
        group.get("/api/filters") { _, _ in
            let values = try await warehouse.filterValues()
            return try Response.json(FiltersResponse(publishers: values.publishers, campaigns: values.campaigns))
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

    func summary(_ filter: DashboardFilter) async throws -> SummaryResponse {
        let totals = try await warehouse.totals(filter)
        let gauges = try await warehouse.dayGauges(filter)
        let state = try await warehouse.state(source: lake.kind)
        let lag = try await self.lag.reading(after: state?.position)
        let m = totals.metrics
        return SummaryResponse(
            range: .init(from: filter.from.map(Timestamp.iso8601), to: filter.to.map(Timestamp.iso8601)),
            totals: .init(
                activeJobs: totals.activeJobs, clicks: m.clicks, conversions: m.conversions, qualifiedApplications: m.qualified,
                disqualifiedApplications: m.unqualified, spend: m.spend),
            gauges: .init(
                day: gauges.day, qualifiedShare: gauges.qualifiedShare, disqualifiedShare: gauges.disqualifiedShare,
                qualifiedApplications: gauges.qualified, disqualifiedApplications: gauges.disqualified),
            freshness: .init(
                newestEventAt: state?.newestEventTime.map(Timestamp.iso8601),
                dataAgeSeconds: Self.dataAge(newestEventTime: state?.newestEventTime, now: clock.now),
                lastCommitAt: state?.lastBatchAt.map(Self.iso8601), lagEvents: lag.events, lagIsLowerBound: lag.isLowerBound))
    }

    func breakdown(_ request: Request, by dimension: BreakdownDimension) async throws -> Response {
        try Response.json(BreakdownResponse(try await warehouse.breakdown(DashboardFilter(query: request), by: dimension), by: dimension))
    }

    /// Seconds from the newest committed event to `now`; 0 when that event lies in the future
    /// (a client's clock, or a `ts` of 9999-12-31), so that the age is never negative.
    static func dataAge(newestEventTime: Int64?, now: Int64) -> Double? {
        newestEventTime.map { Double(max(0, now - $0)) / 1000 }
    }

    /// `YYYY-MM-DD HH:MM:SS.fff` (UTC, as stored) as ISO 8601.
    static func iso8601(_ sqlTime: String) -> String {
        sqlTime.replacingOccurrences(of: " ", with: "T") + "Z"
    }
}

import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseWarehouse

/// The answers of the dashboard's endpoints for a filter: what `/api/summary`, `/api/top-jobs`,
/// `/api/hourly`, `/api/publishers`, `/api/campaigns` and `/api/filters` return, and what the
/// default view sends on `/api/stream` (``DefaultView``). Every figure comes from a warehouse
/// query; the page only formats them.
struct DashboardAnswers: Sendable {
    /// The lake whose commits the warehouse holds (`etl_state.source`).
    let source: String
    let lag: LakeLag
    let warehouse: any DashboardWarehouse
    let clock: WallClock

    func summary(_ filter: DashboardFilter) async throws -> SummaryResponse {
        let totals = try await warehouse.totals(filter)
        let gauges = try await warehouse.dayGauges(filter)
        let state = try await warehouse.state(source: source)
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

    func topJobs(_ filter: DashboardFilter, limit: Int) async throws -> TopJobsResponse {
        TopJobsResponse(try await warehouse.topJobs(filter, limit: limit))
    }

    func hourly(_ filter: DashboardFilter) async throws -> HourlyResponse {
        HourlyResponse(try await warehouse.hourly(filter))
    }

    func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> BreakdownResponse {
        BreakdownResponse(try await warehouse.breakdown(filter, by: dimension), by: dimension)
    }

    func filters() async throws -> FiltersResponse {
        let values = try await warehouse.filterValues()
        return FiltersResponse(publishers: values.publishers, campaigns: values.campaigns)
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

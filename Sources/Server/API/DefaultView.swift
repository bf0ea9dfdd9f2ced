import JobPulseClock
import JobPulseCore
import JobPulseInsights
import JobPulseWarehouse

/// The dashboard's default view: the last 24 hours (the page's range ends at the start of the
/// next hour, as the page computes it), every publisher and campaign. ``CommitFeed`` computes it
/// once after each commit while a dashboard is open and sends it with the commit, so that every
/// page that shows it asks the server nothing more; its parts are the answers of the endpoints
/// for that range, kept by ``CommitCachedDashboard`` for a page that asks anyway.
struct DefaultView: Sendable {
    let answers: DashboardAnswers
    /// Where the budgets' pacing and the alerts are read.
    let warehouse: any Warehouse
    let clock: WallClock
    /// The job panels kept by the in-process ETL's commits; nil without one.
    let boards: LiveJobBoards?

    static let hours: Int64 = 24
    static let hour: Int64 = 3_600_000
    /// Everything the page shows in the default view, each part as its endpoint answers.
    struct Figures: Encodable, Sendable {
        let range: SummaryResponse.Range
        let summary: SummaryResponse
        let topJobs: TopJobsResponse
        let hourly: HourlyResponse
        let publishers: BreakdownResponse
        let campaigns: BreakdownResponse
        let filters: FiltersResponse
        let pacing: PacingResponse
        let alerts: AlertsResponse
    }

    /// The default view's range at `now`: from 24 hours before the next hour's start to it.
    static func filter(now: Int64) -> DashboardFilter {
        let to = (UTCHour(epochMilliseconds: now).hoursSinceEpoch + 1) * hour
        return DashboardFilter(from: to - hours * hour, to: to)
    }

    /// How long before the hour the next hour's range starts being kept: its board follows the
    /// commits from then on, so the first figures of the new hour need no read of the jobs.
    static let nextRangeAhead: Int64 = 5 * 60_000

    /// Reads the job board of the default view's range, and of the next hour's in the last
    /// minutes of the hour, unless they are kept already: when a dashboard opens, and with each
    /// computation of the figures.
    func keepJobBoards() async {
        guard let boards else { return }
        let now = clock.now
        await boards.readBoard(for: Self.filter(now: now))
        if Self.filter(now: now + Self.nextRangeAhead) != Self.filter(now: now) {
            await boards.readBoard(for: Self.filter(now: now + Self.nextRangeAhead))
        }
    }

    func figures() async throws -> Figures {
        let now = clock.now
        let filter = Self.filter(now: now)
        Task { await keepJobBoards() }
        let summary = try await answers.summary(filter)
        return Figures(
            range: summary.range, summary: summary, topJobs: try await answers.topJobs(filter, limit: JobActivity.pageLimit),
            hourly: try await answers.hourly(filter), publishers: try await answers.breakdown(filter, by: .publisher),
            campaigns: try await answers.breakdown(filter, by: .campaign), filters: try await answers.filters(),
            pacing: PacingResponse(try await InsightQueries.pacing(warehouse, campaignID: nil, now: now), at: now),
            alerts: AlertsResponse(try await warehouse.alerts()))
    }
}

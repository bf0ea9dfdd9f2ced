import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Synchronization
import Testing

/// The dashboard's figures are computed once per commit: many viewers asking at once wait for
/// one computation, and the next commit makes the next request compute anew.
@Suite struct CommitCachedDashboardTests {
    /// The real warehouse, with a count of the figures it computed (a summary's totals are two:
    /// the funnel's sums and the jobs with activity).
    final class CountedFigures: DashboardWarehouse {
        let base: SQLWarehouse
        let computed = Mutex(0)
        init(_ base: SQLWarehouse) { self.base = base }
        var kind: String { base.kind }
        func state(source: String) async throws -> ETLState? { try await base.state(source: source) }
        func factCount() async throws -> Int { try await base.factCount() }
        func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics {
            computed.withLock { $0 += 1 }
            return try await base.funnelTotals(filter)
        }
        func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity {
            computed.withLock { $0 += 1 }
            return try await base.jobActivity(filter, limit: limit)
        }
        func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals {
            computed.withLock { $0 += 1 }
            return try await base.jobTotals(filter, source: source)
        }
        func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] { try await base.jobDetails(jobIDs) }
        func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges { try await base.dayGauges(filter) }
        func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint] { try await base.hourly(filter) }
        func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow] {
            try await base.breakdown(filter, by: dimension)
        }
        func filterValues() async throws -> FilterValues { try await base.filterValues() }
    }

    @Test func aHundredViewersCostOneComputationPerCommit() async throws {
        let store = try await TestStore()
        var generator = TrafficGenerator(seed: 41)
        try await store.generate(&generator, count: 2_000)
        _ = try await store.pipeline().runUntilCaughtUp()
        let counted = CountedFigures(store.warehouse)
        let figures = CommitCachedDashboard(base: counted, source: store.lake.kind)

        let answers = try await withThrowingTaskGroup(of: DashboardTotals.self) { group in
            for _ in 0..<100 { group.addTask { try await figures.totals(DashboardFilter()) } }
            return try await group.reduce(into: [DashboardTotals]()) { $0.append($1) }
        }
        #expect(counted.computed.withLock { $0 } == 2 && Set(answers).count == 1)
        #expect(answers.first == (try await store.warehouse.totals(DashboardFilter())))
        let top = try await figures.topJobs(DashboardFilter(), limit: JobActivity.pageLimit)
        #expect(counted.computed.withLock { $0 } == 2, "the page's top list comes from the read that counted the active jobs")
        #expect(top == (try await store.warehouse.topJobs(DashboardFilter(), limit: JobActivity.pageLimit)) && !top.isEmpty)

        _ = try await figures.totals(DashboardFilter(publisherID: 1))
        #expect(counted.computed.withLock { $0 } == 4, "another filter is another computation")

        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        let after = try await figures.totals(DashboardFilter())
        #expect(counted.computed.withLock { $0 } == 6, "the commit made the figures new")
        #expect(after == (try await store.warehouse.totals(DashboardFilter())) && after != answers.first)
        _ = try await figures.totals(DashboardFilter())
        #expect(counted.computed.withLock { $0 } == 6)
        try await store.warehouse.close()
    }
}

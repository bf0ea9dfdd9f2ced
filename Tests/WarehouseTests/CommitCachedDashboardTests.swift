import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Synchronization
import Testing

/// The dashboard's figures are computed once per commit: many viewers asking at once wait for
/// one computation, and the next commit makes the next request compute anew.
@Suite struct CommitCachedDashboardTests {
    /// The real warehouse, with a count of the figures it computed.
    final class CountedFigures: DashboardWarehouse {
        let base: SQLWarehouse
        let computed = Mutex(0)
        init(_ base: SQLWarehouse) { self.base = base }
        var kind: String { base.kind }
        func state(source: String) async throws -> ETLState? { try await base.state(source: source) }
        func factCount() async throws -> Int { try await base.factCount() }
        func totals(_ filter: DashboardFilter) async throws -> DashboardTotals {
            computed.withLock { $0 += 1 }
            return try await base.totals(filter)
        }
        func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges { try await base.dayGauges(filter) }
        func topJobs(_ filter: DashboardFilter, limit: Int) async throws -> [JobRanking] { try await base.topJobs(filter, limit: limit) }
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
        #expect(counted.computed.withLock { $0 } == 1 && Set(answers).count == 1)
        #expect(answers.first == (try await store.warehouse.totals(DashboardFilter())))

        _ = try await figures.totals(DashboardFilter(publisherID: 1))
        #expect(counted.computed.withLock { $0 } == 2, "another filter is another computation")

        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        let after = try await figures.totals(DashboardFilter())
        #expect(counted.computed.withLock { $0 } == 3, "the commit made the figures new")
        #expect(after == (try await store.warehouse.totals(DashboardFilter())) && after != answers.first)
        _ = try await figures.totals(DashboardFilter())
        #expect(counted.computed.withLock { $0 } == 3)
        try await store.warehouse.close()
    }
}

import JobPulseClock
import JobPulseCore
import Synchronization

/// The dashboard's figures computed once per commit, whoever asks: a ``DashboardWarehouse``
/// that keeps each answer until the ETL commits again, and lets the viewers who ask for the same
/// figures at the same time wait for one computation.
///
/// The figures change only when a batch commits, so each answer is kept with the commit it was
/// computed after (`etl_state`'s batches and position for the lake, one row read by its key);
/// the first request after the next commit computes it anew. The gauges' answer also keeps the
/// day, since "today" bounds it. The ETL's state and the row count are never kept. A failed
/// computation is not kept either: the next request tries again.
public final class CommitCachedDashboard: DashboardWarehouse {
    let base: any DashboardWarehouse
    /// The lake whose commits change the figures (`etl_state.source`).
    let source: String
    let clock: WallClock
    /// Answers kept at once, beyond which the ones of earlier commits go first.
    static let capacity = 512

    private struct Entry {
        let commit: String
        let answer: Task<any Sendable, any Error>
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init(base: any DashboardWarehouse, source: String, clock: WallClock = .system) {
        self.base = base
        self.source = source
        self.clock = clock
    }

    public var kind: String { base.kind }

    public func state(source: String) async throws -> ETLState? { try await base.state(source: source) }
    public func factCount() async throws -> Int { try await base.factCount() }

    public func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics {
        try await cached("funnel \(filter)") { [base] in try await base.funnelTotals(filter) }
    }
    public func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges {
        let today = UTCDay(epochMilliseconds: clock.now)
        return try await cached("gauges \(today) \(filter)") { [base] in try await base.dayGauges(filter) }
    }
    public func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity {
        try await cached("jobs \(limit) \(filter)") { [base] in try await base.jobActivity(filter, limit: limit) }
    }
    public func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals {
        try await base.jobTotals(filter, source: source)
    }
    public func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] { try await base.jobDetails(jobIDs) }
    public func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint] {
        try await cached("hourly \(filter)") { [base] in try await base.hourly(filter) }
    }
    public func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow] {
        try await cached("\(dimension.rawValue) \(filter)") { [base] in try await base.breakdown(filter, by: dimension) }
    }
    public func filterValues() async throws -> FilterValues {
        try await cached("filters") { [base] in try await base.filterValues() }
    }

    /// The answer for `key` after the last commit: kept, being computed, or computed now.
    private func cached<T: Sendable>(_ key: String, _ compute: @escaping @Sendable () async throws -> T) async throws -> T {
        let state = try await base.state(source: source)
        let commit = "\(state?.batches ?? 0) \(state?.position ?? "")"
        let answer = entries.withLock { entries -> Task<any Sendable, any Error> in
            if let entry = entries[key], entry.commit == commit { return entry.answer }
            if entries.count >= Self.capacity {
                entries = entries.filter { $0.value.commit == commit }
                if entries.count >= Self.capacity { entries.removeAll() }
            }
            // A task of its own: a viewer who leaves must not cancel what the others wait for.
            let task = Task<any Sendable, any Error> { try await compute() }
            entries[key] = Entry(commit: commit, answer: task)
            return task
        }
        do {
            // Only this file stores answers, each under the key of its own type.
            return try await answer.value as! T
        } catch {
            entries.withLock { entries in
                if let entry = entries[key], entry.commit == commit { entries[key] = nil }
            }
            throw error
        }
    }
}

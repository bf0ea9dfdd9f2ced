import JobPulseCore

/// What the ETL commits through: the single-writer lease, the position and the batch's deltas
/// in one transaction, and the companies of the batch's jobs.
public protocol CommitWarehouse: Sendable {
    /// `sqlite` or `mysql`.
    var kind: String { get }

    /// Company of each of `jobIDs` that the job dimension knows.
    func companyIDs(forJobs jobIDs: [Int32]) async throws -> [Int32: Int32]

    func state(source: String) async throws -> ETLState?
    /// Takes or renews the single-writer lease for a lake; throws ``WarehouseError/leaseHeld``
    /// while another owner holds an unexpired one.
    func acquireLease(source: String, lakeIdentity: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState
    /// Takes the lease from `holder` before its expiry, when the caller knows that holder is dead;
    /// throws ``WarehouseError/leaseHeld`` when someone else holds it by then.
    func takeOverLease(source: String, from holder: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState
    func releaseLease(source: String, owner: String) async throws
    /// Adds the batch's deltas and moves the position, in one transaction. `checkpoint` is called
    /// inside the transaction after each step; if it throws, nothing of the batch remains.
    func commit(_ batch: BatchCommit, checkpoint: @escaping @Sendable (BatchStep) throws -> Void) async throws
}

/// What the dashboards (`/api`, `/healthz`) read.
public protocol DashboardWarehouse: Sendable {
    /// `sqlite` or `mysql`.
    var kind: String { get }

    func state(source: String) async throws -> ETLState?
    func factCount() async throws -> Int
    /// The funnel's sums over the selection.
    func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics
    /// The jobs with activity: how many, and the first `limit` by clicks. One read gives both,
    /// since both sum every job's grains in the range.
    func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity
    /// Every job's sums over the filter's range, with `source`'s ETL state, in one read.
    func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals
    /// The title and company of each of `jobIDs` that has rows.
    func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails]
    func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges
    func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint]
    func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow]
    func filterValues() async throws -> FilterValues
}

extension DashboardWarehouse {
    /// The summary's totals. The active jobs come with the page's top list
    /// (``JobActivity/pageLimit``), so that a warehouse that keeps its answers
    /// (``CommitCachedDashboard``) reads the jobs once for both panels.
    public func totals(_ filter: DashboardFilter) async throws -> DashboardTotals {
        DashboardTotals(
            activeJobs: try await jobActivity(filter, limit: JobActivity.pageLimit).activeJobs, metrics: try await funnelTotals(filter))
    }

    /// The first `limit` jobs by clicks, among those with at least one click.
    public func topJobs(_ filter: DashboardFilter, limit: Int) async throws -> [JobRanking] {
        try await jobActivity(filter, limit: limit).top
    }
}

/// The budgets of campaigns and jobs, and the spend they are paced against.
public protocol BudgetWarehouse: Sendable {
    /// Sets the budget of its scope, replacing the one it had.
    func setBudget(_ budget: Budget) async throws
    /// Removes a scope's budget; false when it had none.
    func removeBudget(scope: BudgetScope, id: Int32) async throws -> Bool
    /// Every budget, by scope and id; with `campaignID`, that campaign's budget and those of
    /// its jobs (as the job dimension knows them).
    func budgets(campaignID: Int32?) async throws -> [Budget]
    /// The spend of a budget's scope in the hours that started in `[from, until]`, and the part
    /// of it in the hours that started after `recentAfter` (epoch milliseconds).
    func spend(scope: BudgetScope, id: Int32, from: Int64, until: Int64, recentAfter: Int64) async throws -> (total: Int64, recent: Int64)
}

/// Alert state, the webhook outbox, and the figures the alert rules read.
public protocol AlertWarehouse: Sendable {
    /// Every alert that ever fired: firing ones first, then the most recent change first.
    func alerts() async throws -> [AlertRecord]
    /// Applies each change whose row is still as it expects, and queues its notification for
    /// every webhook in `targets`, all in one transaction; returns how many changes applied.
    func applyAlertChanges(_ changes: [AlertChange], targets: [String]) async throws -> Int
    /// The last hour with clicks of every campaign and job that had clicks in an hour that
    /// started at or after `since`.
    func lastClicks(since: Int64) async throws -> [ClickActivity]
    /// Every campaign's clicks and spend per hour, for the hours that started at or after `since`.
    func hourlyCosts(since: Int64) async throws -> [HourlyCost]
    /// Up to `limit` notifications for `targets` due by `dueBy`, the longest-waiting first.
    func dueDeliveries(targets: [String], dueBy: Int64, limit: Int) async throws -> [PendingDelivery]
    /// When the next notification for `targets` is due; nil when none waits.
    func nextDeliveryDue(targets: [String]) async throws -> Int64?
    /// The webhook took the notification: it is not sent again.
    func deliverySucceeded(id: String, target: String) async throws
    /// The attempt failed: the next one is at `nextAttemptAt`.
    func deliveryFailed(id: String, target: String, nextAttemptAt: Int64, error: String) async throws
}

/// The warehouse: hourly funnel metrics per grain, the job dimension, and the ETL's position.
///
/// The ETL sees it as a ``CommitWarehouse``, the dashboards as a ``DashboardWarehouse``, budgets
/// and pacing as a ``BudgetWarehouse``, the alerts as an ``AlertWarehouse``; the whole adds the schema, the job dimension's loading
/// and the closing. One SQL implementation, ``SQLWarehouse``, serves SQLite and MySQL/MariaDB.
public protocol Warehouse: CommitWarehouse, DashboardWarehouse, BudgetWarehouse, AlertWarehouse {
    /// Creates the tables that are missing. Safe to run any number of times.
    func migrate() async throws

    /// Inserts new jobs and updates known ones, then gives already aggregated rows of those jobs
    /// their (new) company. A job's `budget` column, when it holds an amount, becomes the job's
    /// lifetime budget unless one was set by hand.
    func upsertJobs(_ jobs: [JobRecord]) async throws
    func jobCount() async throws -> Int
    /// Every `events` row, ordered by grain.
    func facts() async throws -> [FactRow]

    func close() async throws
}

import JobPulseCore

/// The warehouse: hourly funnel metrics per grain, the job dimension, and the ETL's position.
///
/// Everything the ETL and the dashboards need from it goes through this protocol; one SQL
/// implementation, ``SQLWarehouse``, serves SQLite and MySQL/MariaDB.
public protocol Warehouse: Sendable {
    /// `sqlite` or `mysql`.
    var kind: String { get }

    /// Creates the tables that are missing. Safe to run any number of times.
    func migrate() async throws

    // MARK: Job dimension

    /// Inserts new jobs and updates known ones, then gives already aggregated rows of those jobs
    /// their (new) company.
    func upsertJobs(_ jobs: [JobRecord]) async throws
    func jobCount() async throws -> Int
    /// Company of each of `jobIDs` that the job dimension knows.
    func companyIDs(forJobs jobIDs: [Int32]) async throws -> [Int32: Int32]

    // MARK: Exactly-once commit

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

    // MARK: Reading

    func factCount() async throws -> Int
    /// Every `events` row, ordered by grain.
    func facts() async throws -> [FactRow]

    func totals(_ filter: DashboardFilter) async throws -> DashboardTotals
    func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges
    func topJobs(_ filter: DashboardFilter, limit: Int) async throws -> [JobRanking]
    func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint]
    func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow]
    func filterValues() async throws -> FilterValues

    func close() async throws
}

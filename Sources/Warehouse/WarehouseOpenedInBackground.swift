import JobPulseCore
import Synchronization

/// A warehouse that is opened (and migrated) in the background, retried with backoff, so that a
/// process with other work can start while the database is down: `jobpulse serve` keeps
/// collecting into the lake, and its ETL catches up once the warehouse is back. Until the open
/// succeeds, every call throws ``WarehouseUnavailable``.
public final class WarehouseOpenedInBackground: Warehouse {
    public let kind: String
    /// Where the warehouse is, as shown to people (without its password).
    public let location: String
    private let open: @Sendable () async throws -> any Warehouse
    private let state = Mutex<State>(.opening(lastError: "not opened yet"))

    private enum State {
        case opening(lastError: String)
        case open(any Warehouse)
    }

    /// `open` opens and migrates the warehouse; it is called again after each failure.
    public init(kind: String, location: String, open: @escaping @Sendable () async throws -> any Warehouse) {
        self.kind = kind
        self.location = location
        self.open = open
    }

    public var isOpen: Bool {
        state.withLock { if case .open = $0 { true } else { false } }
    }

    /// Tries to open the warehouse until it succeeds or the task is cancelled, waiting 0.25 s
    /// after the first failure and twice as long after each next one, up to 5 s: one connection
    /// attempt that often costs nothing, and a collector sees its warehouse again within seconds.
    /// `onFailure` hears each failure and the wait before the next try.
    public func keepOpening(onFailure: @Sendable (WarehouseUnavailable, Duration) -> Void = { _, _ in }) async {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled, !isOpen {
            do {
                let warehouse = try await open()
                state.withLock { $0 = .open(warehouse) }
            } catch {
                let unavailable = WarehouseUnavailable(location: location, reason: "\(error)")
                state.withLock { $0 = .opening(lastError: unavailable.reason) }
                onFailure(unavailable, backoff)
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
    }

    /// The open warehouse, or why there is none yet.
    private func opened() throws(WarehouseUnavailable) -> any Warehouse {
        let current = state.withLock { state -> Result<any Warehouse, WarehouseUnavailable> in
            switch state {
            case .open(let warehouse): .success(warehouse)
            case .opening(let lastError): .failure(WarehouseUnavailable(location: location, reason: lastError))
            }
        }
        return try current.get()
    }

    public func migrate() async throws { try await opened().migrate() }
    public func upsertJobs(_ jobs: [JobRecord]) async throws { try await opened().upsertJobs(jobs) }
    public func jobCount() async throws -> Int { try await opened().jobCount() }
    public func companyIDs(forJobs jobIDs: [Int32]) async throws -> [Int32: Int32] { try await opened().companyIDs(forJobs: jobIDs) }
    public func state(source: String) async throws -> ETLState? { try await opened().state(source: source) }
    public func acquireLease(source: String, lakeIdentity: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        try await opened().acquireLease(source: source, lakeIdentity: lakeIdentity, owner: owner, ttlMilliseconds: ttlMilliseconds)
    }
    public func takeOverLease(source: String, from holder: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        try await opened().takeOverLease(source: source, from: holder, owner: owner, ttlMilliseconds: ttlMilliseconds)
    }
    public func releaseLease(source: String, owner: String) async throws { try await opened().releaseLease(source: source, owner: owner) }
    public func commit(_ batch: BatchCommit, checkpoint: @escaping @Sendable (BatchStep) throws -> Void) async throws {
        try await opened().commit(batch, checkpoint: checkpoint)
    }
    public func factCount() async throws -> Int { try await opened().factCount() }
    public func facts() async throws -> [FactRow] { try await opened().facts() }
    public func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics { try await opened().funnelTotals(filter) }
    public func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges { try await opened().dayGauges(filter) }
    public func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity {
        try await opened().jobActivity(filter, limit: limit)
    }
    public func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals {
        try await opened().jobTotals(filter, source: source)
    }
    public func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] { try await opened().jobDetails(jobIDs) }
    public func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint] { try await opened().hourly(filter) }
    public func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow] {
        try await opened().breakdown(filter, by: dimension)
    }
    public func filterValues() async throws -> FilterValues { try await opened().filterValues() }
    public func setBudget(_ budget: Budget) async throws { try await opened().setBudget(budget) }
    public func removeBudget(scope: BudgetScope, id: Int32) async throws -> Bool { try await opened().removeBudget(scope: scope, id: id) }
    public func budgets(campaignID: Int32?) async throws -> [Budget] { try await opened().budgets(campaignID: campaignID) }
    public func spend(scope: BudgetScope, id: Int32, from: Int64, until: Int64, recentAfter: Int64) async throws -> (total: Int64, recent: Int64) {
        try await opened().spend(scope: scope, id: id, from: from, until: until, recentAfter: recentAfter)
    }

    /// Closes the warehouse if it was opened; cancel ``keepOpening(onFailure:)`` first.
    public func alerts() async throws -> [AlertRecord] { try await opened().alerts() }
    public func applyAlertChanges(_ changes: [AlertChange], targets: [String]) async throws -> Int {
        try await opened().applyAlertChanges(changes, targets: targets)
    }
    public func lastClicks(since: Int64) async throws -> [ClickActivity] { try await opened().lastClicks(since: since) }
    public func hourlyCosts(since: Int64) async throws -> [HourlyCost] { try await opened().hourlyCosts(since: since) }
    public func dueDeliveries(targets: [String], dueBy: Int64, limit: Int) async throws -> [PendingDelivery] {
        try await opened().dueDeliveries(targets: targets, dueBy: dueBy, limit: limit)
    }
    public func nextDeliveryDue(targets: [String]) async throws -> Int64? { try await opened().nextDeliveryDue(targets: targets) }
    public func deliverySucceeded(id: String, target: String) async throws { try await opened().deliverySucceeded(id: id, target: target) }
    public func deliveryFailed(id: String, target: String, nextAttemptAt: Int64, error: String) async throws {
        try await opened().deliveryFailed(id: id, target: target, nextAttemptAt: nextAttemptAt, error: error)
    }
    public func close() async throws {
        let current = state.withLock { state -> (any Warehouse)? in
            if case .open(let warehouse) = state { warehouse } else { nil }
        }
        try await current?.close()
    }
}

/// The warehouse could not be opened yet: the reason of the last try.
public struct WarehouseUnavailable: Error, Sendable, CustomStringConvertible {
    public let location: String
    public let reason: String
    public var description: String { "warehouse unavailable: \(location): \(reason)" }
}

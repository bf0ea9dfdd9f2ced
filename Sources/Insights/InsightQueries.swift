import JobPulseCore
import JobPulseWarehouse

/// Pacing and advice read from a warehouse: the figures come from its queries, the judgement
/// from ``Pacing`` and ``Advice``. The API, the CLI and the alerts all ask here.
public enum InsightQueries {
    /// Every budget's pacing at `now`; with `campaignID`, that campaign's budget and its jobs'.
    public static func pacing(_ warehouse: any BudgetWarehouse, campaignID: Int32? = nil, now: Int64) async throws -> [Pacing] {
        var result: [Pacing] = []
        for budget in try await warehouse.budgets(campaignID: campaignID) {
            let (start, end) = budget.period.window(at: now)
            // The hours that started by now, and before the period's end when it has one.
            let until = end.map { min(now, $0 - 1) } ?? now
            let spend =
                until < start
                ? (total: Int64(0), recent: Int64(0))
                : try await warehouse.spend(
                    scope: budget.scope, id: budget.scopeID, from: start, until: until, recentAfter: now - UTCDay.milliseconds)
            result.append(Pacing(budget: budget, now: now, spentMicros: spend.total, recentSpendMicros: spend.recent))
        }
        return result
    }

    /// The advice for each publisher of a campaign or a job, over the hours that started in
    /// `[from, to]`.
    public static func advice(
        _ warehouse: any DashboardWarehouse, scope: BudgetScope, id: Int32, from: Int64, to: Int64, rules: AdviceRules = AdviceRules()
    ) async throws -> [PublisherAdvice] {
        let filter =
            scope == .campaign ? DashboardFilter(from: from, to: to, campaignID: id) : DashboardFilter(from: from, to: to, jobID: id)
        let rows = try await warehouse.breakdown(filter, by: .publisher)
        return Advice.of(rows.map { PublisherFigures(publisherID: $0.id, metrics: $0.metrics) }, rules: rules)
    }
}

import JobPulseCore
import JobPulseInsights
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// Budgets in the warehouse, on SQLite and MariaDB: set, replaced, listed, removed, defaulted
/// from the job export, and the spend they are paced against.
@Suite(.mariaDBWhenBuilt) struct BudgetWarehouseTests {
    static func event(_ kind: String, at ts: String, campaign: Int, job: Int, publisher: Int = 1, bid: String = "0") -> RawEvent {
        RawEvent.with([
            .ts: ts, .customTrack: kind, .campaignID: String(campaign), .jobID: String(job), .publisherID: String(publisher), .bid: bid,
            .groupID: "1",
        ])
    }

    static func day(_ text: String) throws -> UTCDay { try #require(UTCDay(text)) }
    static func at(_ text: String) throws -> Int64 { try EventTime.parse(text).get() }

    @Test(arguments: Backend.allCases)
    func budgetsAreSetReplacedListedAndRemoved(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let warehouse = store.warehouse
        try await warehouse.setBudget(Budget(scope: .campaign, scopeID: 3, amountMicros: 500_000_000, period: .daily, currency: "USD"))
        let lifetime = BudgetPeriod.lifetime(from: try Self.day("2026-12-01"), through: try Self.day("2026-12-31"))
        try await warehouse.setBudget(Budget(scope: .job, scopeID: 7, amountMicros: 1_000_500_000, period: lifetime))
        try await warehouse.setBudget(Budget(scope: .campaign, scopeID: 3, amountMicros: 12_000_000_000, period: .monthly))
        let budgets = try await warehouse.budgets(campaignID: nil)
        #expect(
            budgets == [
                Budget(scope: .campaign, scopeID: 3, amountMicros: 12_000_000_000, period: .monthly),
                Budget(scope: .job, scopeID: 7, amountMicros: 1_000_500_000, period: lifetime),
            ], "one budget per scope: the second campaign budget replaced the first")
        #expect(try await warehouse.removeBudget(scope: .job, id: 7))
        #expect(try await !warehouse.removeBudget(scope: .job, id: 7))
        #expect(try await warehouse.budgets(campaignID: nil).map(\.scopeID) == [3])
        try await warehouse.close()
    }

    /// A campaign's filter takes its own budget and those of its jobs, as the job dimension knows them.
    @Test(arguments: Backend.allCases)
    func aCampaignsBudgetsIncludeItsJobs(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let warehouse = store.warehouse
        try await warehouse.upsertJobs([
            JobRecord(jobID: 7, companyID: 1, groupID: 1, campaignID: 3), JobRecord(jobID: 8, companyID: 1, groupID: 1, campaignID: 4),
        ])
        for (scope, id) in [(BudgetScope.campaign, Int32(3)), (.job, 7), (.job, 8), (.campaign, 4)] {
            try await warehouse.setBudget(Budget(scope: scope, scopeID: id, amountMicros: 1_000_000, period: .daily))
        }
        let ofCampaign3 = try await warehouse.budgets(campaignID: 3).map { "\($0.scope.rawValue) \($0.scopeID)" }
        #expect(ofCampaign3 == ["campaign 3", "job 7"])
        try await warehouse.close()
    }

    /// Spend is counted per hour: the hours that started in the period up to now, and the part
    /// of them after the burn window's start.
    @Test(arguments: Backend.allCases)
    func spendCountsTheHoursOfThePeriod(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        try await store.lake.write(
            [
                Self.event("click", at: "2026-11-29 23:30:00", campaign: 3, job: 7, bid: "1"),
                Self.event("click", at: "2026-11-30 00:10:00", campaign: 3, job: 7, bid: "2"),
                Self.event("click", at: "2026-11-30 05:00:00", campaign: 3, job: 8, bid: "4"),
                Self.event("click", at: "2026-11-30 06:00:00", campaign: 3, job: 7, bid: "8"),
                Self.event("click", at: "2026-11-30 01:00:00", campaign: 4, job: 9, bid: "100"),
            ], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        let warehouse = store.warehouse
        let now = try Self.at("2026-11-30 05:30:00")
        let spend = try await warehouse.spend(
            scope: .campaign, id: 3, from: try Self.at("2026-11-30 00:00:00"), until: now, recentAfter: try Self.at("2026-11-30 03:00:00"))
        #expect(spend.total == 6_000_000 && spend.recent == 4_000_000)
        let job = try await warehouse.spend(scope: .job, id: 7, from: try Self.at("2026-11-29 00:00:00"), until: now, recentAfter: 0)
        #expect(job.total == 3_000_000)

        try await warehouse.setBudget(Budget(scope: .campaign, scopeID: 3, amountMicros: 24_000_000, period: .daily))
        let pacing = try #require(try await InsightQueries.pacing(warehouse, now: now).first)
        #expect(pacing.spentMicros == 6_000_000, "the day's hours up to 05:00; 06:00 has not started")
        #expect(pacing.expectedMicros == 5_500_000)  // 24 × 5.5 / 24
        #expect(pacing.burnRatePerDayMicros == 6_000_000 * 24 / 5.5)  // the day so far is shorter than 24 hours
        try await warehouse.close()
    }

    /// The job export's `budget` is the job's lifetime budget over its start and end dates,
    /// unless one was set by hand; an export whose `budget` is empty takes its default away.
    @Test(arguments: Backend.allCases)
    func theJobExportsBudgetIsADefaultThatAManualBudgetReplaces(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let warehouse = store.warehouse
        func job(budget: String) -> JobRecord {
            JobRecord(
                jobID: 7, companyID: 1, groupID: 1, campaignID: 3,
                text: ["budget": budget, "start_date": "2026-11-01 00:00:00", "end_date": "2026-12-31"])
        }
        try await warehouse.upsertJobs([job(budget: " 250.5 ")])
        let fromExport = Budget(
            scope: .job, scopeID: 7, amountMicros: 250_500_000, period: .lifetime(from: try Self.day("2026-11-01"), through: try Self.day("2026-12-31")),
            origin: .jobExport)
        #expect(try await warehouse.budgets(campaignID: nil) == [fromExport])
        let manual = Budget(scope: .job, scopeID: 7, amountMicros: 90_000_000, period: .daily)
        try await warehouse.setBudget(manual)
        try await warehouse.upsertJobs([job(budget: "999")])
        #expect(try await warehouse.budgets(campaignID: nil) == [manual], "a re-import never overwrites a budget set by hand")
        #expect(try await warehouse.removeBudget(scope: .job, id: 7))
        try await warehouse.upsertJobs([job(budget: "999")])
        #expect(try await warehouse.budgets(campaignID: nil).map(\.amountMicros) == [999_000_000])
        for empty in ["", "n/a", "0"] {
            try await warehouse.upsertJobs([job(budget: empty)])
            #expect(try await warehouse.budgets(campaignID: nil).isEmpty, "\(empty)")
        }
        try await warehouse.close()
    }

    /// A warehouse of an earlier release has no `budget` table: `migrate` adds it.
    @Test(arguments: Backend.allCases)
    func migrateAddsTheBudgetTableToAnEarlierWarehouse(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        _ = try await store.warehouse.database.write { session in try session.execute("DROP TABLE budget") }
        await #expect(throws: (any Error).self) { try await store.warehouse.budgets(campaignID: nil) }
        try await store.warehouse.migrate()
        try await store.warehouse.setBudget(Budget(scope: .campaign, scopeID: 1, amountMicros: 1, period: .monthly))
        #expect(try await store.warehouse.budgets(campaignID: nil).count == 1)
        try await store.warehouse.close()
    }
}

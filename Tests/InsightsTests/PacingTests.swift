import JobPulseCore
import Testing

@testable import JobPulseInsights

/// Pacing worked by hand: every figure below is computed from the formulas in the README.
@Suite struct PacingTests {
    static let day = UTCDay.milliseconds
    static func at(_ text: String) -> Int64 { try! EventTime.parse(text).get() }

    /// 3,000 for November 2026 (30 days); at 16 November 00:00 half the month is gone.
    @Test func aMonthlyBudgetAheadOfItsPace() {
        let budget = Budget(scope: .campaign, scopeID: 12, amountMicros: 3_000_000_000, period: .monthly)
        let now = Self.at("2026-11-16 00:00:00")
        let pacing = Pacing(budget: budget, now: now, spentMicros: 1_800_000_000, recentSpendMicros: 150_000_000)
        #expect(pacing.periodStart == Self.at("2026-11-01 00:00:00") && pacing.periodEnd == Self.at("2026-12-01 00:00:00"))
        #expect(pacing.elapsedShare == 0.5)
        #expect(pacing.expectedMicros == 1_500_000_000)
        #expect(pacing.remainingMicros == 1_200_000_000)
        #expect(pacing.pacePercent == 20)  // 1,800 / 1,500 − 1
        #expect(pacing.averageDailyMicros == 120_000_000)  // 1,800 over 15 days
        #expect(pacing.burnRatePerDayMicros == 150_000_000)  // the last 24 hours
        #expect(pacing.runsOutAt == Self.at("2026-11-24 00:00:00"))  // 1,200 at 150 a day: 8 days
        #expect(pacing.status == .ahead)
    }

    /// 100 a day; at 06:00 a quarter of the day is gone and 20 spent.
    @Test func aDailyBudgetBehindItsPaceBurnsAtTheRateOfItsHoursSoFar() {
        let budget = Budget(scope: .job, scopeID: 7, amountMicros: 100_000_000, period: .daily)
        let pacing = Pacing(budget: budget, now: Self.at("2026-11-30 06:00:00"), spentMicros: 20_000_000, recentSpendMicros: 20_000_000)
        #expect(pacing.expectedMicros == 25_000_000)
        #expect(pacing.pacePercent == -20)
        #expect(pacing.burnRatePerDayMicros == 80_000_000)  // 20 in a quarter of a day
        #expect(pacing.runsOutAt == Self.at("2026-12-01 06:00:00"))  // 80 left at 80 a day
        #expect(pacing.status == .behind)
        let onTrack = Pacing(budget: budget, now: Self.at("2026-11-30 06:00:00"), spentMicros: 27_000_000, recentSpendMicros: 27_000_000)
        #expect(onTrack.status == .onTrack, "8 % ahead is within the 10 % tolerance")
    }

    @Test func lifetimeBudgetsBeforeDuringAndAfterTheirDays() throws {
        let period = BudgetPeriod.lifetime(from: try #require(UTCDay("2026-12-01")), through: UTCDay("2026-12-10"))
        let budget = Budget(scope: .campaign, scopeID: 3, amountMicros: 1_000_000_000, period: period)
        let before = Pacing(budget: budget, now: Self.at("2026-11-30 12:00:00"), spentMicros: 0, recentSpendMicros: 0)
        #expect(before.status == .notStarted && before.expectedMicros == 0 && before.pacePercent == nil && before.runsOutAt == nil)
        let during = Pacing(budget: budget, now: Self.at("2026-12-03 12:00:00"), spentMicros: 250_000_000, recentSpendMicros: 100_000_000)
        #expect(during.elapsedShare == 0.25)  // 2.5 of 10 days
        #expect(during.pacePercent == 0 && during.status == .onTrack)
        #expect(during.averageDailyMicros == 100_000_000)
        #expect(during.runsOutAt == Self.at("2026-12-11 00:00:00"))  // 750 at 100 a day: 7.5 days
        let after = Pacing(budget: budget, now: Self.at("2026-12-12 00:00:00"), spentMicros: 900_000_000, recentSpendMicros: 0)
        #expect(after.status == .ended && after.elapsedShare == 1 && after.remainingMicros == 100_000_000)
        let open = Budget(scope: .campaign, scopeID: 3, amountMicros: 1_000_000_000, period: .lifetime(from: try #require(UTCDay("2026-12-01")), through: nil))
        let openPacing = Pacing(budget: open, now: Self.at("2026-12-03 00:00:00"), spentMicros: 100_000_000, recentSpendMicros: 50_000_000)
        #expect(openPacing.status == .open && openPacing.expectedMicros == nil && openPacing.pacePercent == nil)
        #expect(openPacing.runsOutAt == Self.at("2026-12-21 00:00:00"))  // 900 at 50 a day: 18 days
    }

    @Test func aSpentBudgetIsExhaustedAndTheFirstHourIsTooEarlyForAverages() {
        let budget = Budget(scope: .campaign, scopeID: 1, amountMicros: 50_000_000, period: .daily)
        let spent = Pacing(budget: budget, now: Self.at("2026-11-30 18:00:00"), spentMicros: 55_000_000, recentSpendMicros: 55_000_000)
        #expect(spent.status == .exhausted && spent.remainingMicros == 0 && spent.runsOutAt == nil)
        let early = Pacing(budget: budget, now: Self.at("2026-11-30 00:30:00"), spentMicros: 1_000_000, recentSpendMicros: 1_000_000)
        #expect(early.averageDailyMicros == nil && early.burnRatePerDayMicros == nil && early.runsOutAt == nil)
    }

    /// The largest amount at the smallest rate lasts longer than an Int64 of milliseconds counts
    /// (converting that stopped the process): no time past 9999-12-31 is given.
    @Test func aBudgetThatOutlastsTheCalendarRunsOutAtNoTime() throws {
        let period = BudgetPeriod.lifetime(from: try #require(UTCDay("1970-01-01")), through: nil)
        let budget = Budget(scope: .campaign, scopeID: 1, amountMicros: 999_999_999_999_999_999, period: period)
        let pacing = Pacing(budget: budget, now: Self.at("2026-11-30 12:00:00"), spentMicros: 1, recentSpendMicros: 1)
        #expect(pacing.burnRatePerDayMicros == 1 && pacing.runsOutAt == nil && pacing.status == .open)
        let lastDay = Pacing(budget: budget, now: Self.at("9999-12-30 12:00:00"), spentMicros: 999_999_999_999_999_998, recentSpendMicros: 2)
        #expect(lastDay.runsOutAt == Self.at("9999-12-31 00:00:00"), "half a day at 2 a day")
    }

    @Test func periodsReadTheirDaysAndSayWhatIsWrong() {
        #expect(BudgetPeriod.parse("weekly", from: nil, through: nil) == .failure(.unknownPeriod("weekly")))
        #expect(BudgetPeriod.parse("lifetime", from: nil, through: nil) == .failure(.lifetimeNeedsStart))
        #expect(BudgetPeriod.parse("daily", from: "2026-12-01", through: nil) == .failure(.datesOnlyForLifetime))
        #expect(BudgetPeriod.parse("lifetime", from: "2026-02-30", through: nil) == .failure(.unreadableDay(field: "starts_on", value: "2026-02-30")))
        #expect(BudgetPeriod.parse("lifetime", from: "2026-12-10", through: "2026-12-01") == .failure(.endsBeforeItStarts))
        #expect(Budget.amountMicros("1250.75") == .success(1_250_750_000))
        #expect(Budget.amountMicros("0") == .failure(.unreadableAmount("0")))
        for bad in ["", "-5", "1e3", "1.", ".5", "1.1234567", "1000000000000", "12,5"] {
            #expect(throws: BudgetError.self, "\(bad)") { try Budget.amountMicros(bad).get() }
        }
        #expect(Budget.currency("usd") == .success("USD"))
        #expect(throws: BudgetError.self) { try Budget.currency("US$").get() }
    }
}

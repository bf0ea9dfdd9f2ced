import JobPulseCore
import JobPulseInsights

// The answers of `/api/budgets`, `/api/pacing` and `/api/advice`, as `openapi.yaml` describes
// them. Amounts are in the account's currency (`currency` is a note), from the warehouse's
// millionths.

/// One budget.
struct BudgetEntry: Encodable, Sendable {
    let scope: String
    let scopeId: Int32
    let amount: Double
    let period: String
    @Nullable var startsOn: String?
    @Nullable var endsOn: String?
    @Nullable var currency: String?
    /// `manual`, or `job-export` for the job export's default.
    let origin: String

    init(_ budget: Budget) {
        scope = budget.scope.rawValue
        scopeId = budget.scopeID
        amount = Money.amount(micros: budget.amountMicros)
        period = budget.period.name
        startsOn = nil
        endsOn = nil
        if case .lifetime(let from, let through) = budget.period {
            startsOn = from.description
            endsOn = through?.description
        }
        currency = budget.currency
        origin = budget.origin.rawValue
    }
}

/// `GET /api/budgets`.
struct BudgetsResponse: Encodable, Sendable {
    let budgets: [BudgetEntry]
}

/// `GET /api/pacing`.
struct PacingResponse: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let budget: BudgetEntry
        let periodStart: String
        @Nullable var periodEnd: String?
        let spent: Double
        let remaining: Double
        @Nullable var elapsedShare: Double?
        @Nullable var expectedSpend: Double?
        @Nullable var pacePercent: Double?
        @Nullable var averageDailySpend: Double?
        @Nullable var burnRatePerDay: Double?
        @Nullable var runsOutAt: String?
        let status: String
    }

    let at: String
    let budgets: [Entry]

    init(_ pacings: [Pacing], at now: Int64) {
        at = Timestamp.iso8601(now)
        budgets = pacings.map { p in
            Entry(
                budget: BudgetEntry(p.budget), periodStart: Timestamp.iso8601(p.periodStart), periodEnd: p.periodEnd.map(Timestamp.iso8601),
                spent: Money.amount(micros: p.spentMicros), remaining: Money.amount(micros: p.remainingMicros), elapsedShare: p.elapsedShare,
                expectedSpend: p.expectedMicros.map(Money.amount(micros:)), pacePercent: p.pacePercent,
                averageDailySpend: p.averageDailyMicros.map { $0 / 1_000_000 }, burnRatePerDay: p.burnRatePerDayMicros.map { $0 / 1_000_000 },
                runsOutAt: p.runsOutAt.map(Timestamp.iso8601), status: p.status.rawValue)
        }
    }
}

/// `GET /api/advice`.
struct AdviceResponse: Encodable, Sendable {
    struct Rules: Encodable, Sendable {
        let minimumClicks: Int64
        let significance: Double
        let costRatio: Double
        let minimumQualifiedElsewhere: Int64
    }

    struct Publisher: Encodable, Sendable {
        let publisherId: Int32
        let clicks: Int64
        let spend: Double
        @Nullable var cpc: Double?
        let conversions: Int64
        @Nullable var costPerConversion: Double?
        let qualifiedApplications: Int64
        let disqualifiedApplications: Int64
        @Nullable var qualifiedShare: Double?
        @Nullable var costPerQualifiedApplication: Double?
        let recommendation: String
        @Nullable var probability: Double?
        @Nullable var referenceCostPerQualifiedApplication: Double?
        let evidence: String
    }

    let scope: String
    let scopeId: Int32
    let from: String
    let to: String
    let rules: Rules
    let publishers: [Publisher]

    init(scope: BudgetScope, id: Int32, from: Int64, to: Int64, rules: AdviceRules, advice: [PublisherAdvice]) {
        self.scope = scope.rawValue
        scopeId = id
        self.from = Timestamp.iso8601(from)
        self.to = Timestamp.iso8601(to)
        self.rules = Rules(
            minimumClicks: rules.minimumClicks, significance: rules.significance, costRatio: rules.costRatio,
            minimumQualifiedElsewhere: rules.minimumQualifiedElsewhere)
        publishers = advice.map { a in
            let f = a.figures
            return Publisher(
                publisherId: f.publisherID, clicks: f.clicks, spend: Money.amount(micros: f.spendMicros), cpc: f.costPerClick,
                conversions: f.conversions, costPerConversion: f.costPerConversion, qualifiedApplications: f.qualified,
                disqualifiedApplications: f.disqualified, qualifiedShare: f.qualifiedShare, costPerQualifiedApplication: f.costPerQualified,
                recommendation: a.recommendation.rawValue, probability: a.probability,
                referenceCostPerQualifiedApplication: a.referenceCostPerQualified, evidence: a.evidence)
        }
    }
}

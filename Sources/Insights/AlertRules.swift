import JobPulseCore
import JobPulseWarehouse

/// What the pipeline's health says at an evaluation: how old the newest committed event is, and
/// how many events wait in the lake (nil: not known, which fires nothing).
public struct PipelineFigures: Sendable, Hashable {
    public var dataAgeSeconds: Double?
    public var lagEvents: Int64?
    public init(dataAgeSeconds: Double?, lagEvents: Int64?) {
        self.dataAgeSeconds = dataAgeSeconds
        self.lagEvents = lagEvents
    }
}

/// The figures one evaluation of the rules reads.
public struct AlertFigures: Sendable {
    public var pacings: [Pacing]
    public var clicks: [ClickActivity]
    public var hourlyCosts: [HourlyCost]
    public var pipeline: PipelineFigures
    public init(pacings: [Pacing], clicks: [ClickActivity], hourlyCosts: [HourlyCost], pipeline: PipelineFigures) {
        self.pacings = pacings
        self.clicks = clicks
        self.hourlyCosts = hourlyCosts
        self.pipeline = pipeline
    }
}

/// The rules as functions of the figures: every condition that holds at `now`. The README
/// states each one with its formula; ``AlertThresholds`` holds the defaults.
public enum AlertRules {
    static let hour: Int64 = 3_600_000

    public static func evaluate(_ figures: AlertFigures, now: Int64, thresholds: AlertThresholds) -> [AlertCondition] {
        budgets(figures.pacings, thresholds: thresholds) + trafficStopped(figures.clicks, now: now, thresholds: thresholds)
            + cpcSpikes(figures.hourlyCosts, now: now, thresholds: thresholds) + pipeline(figures.pipeline, thresholds: thresholds)
    }

    /// The hours the figures must reach back to at `now`: click activity since the lookback,
    /// hourly costs since the start of the trailing window of the previous hour.
    public static func clicksSince(now: Int64, thresholds: AlertThresholds) -> Int64 { now - thresholds.trafficLookbackHours * hour }
    public static func costsSince(now: Int64, thresholds: AlertThresholds) -> Int64 {
        floorHour(now) - (thresholds.cpcTrailingHours + 1) * hour
    }

    /// `budget_spent` at each threshold `t`: `spent / amount × 100 ≥ t` in the current period.
    /// `pace_ahead`: `pace > N` once the period is an hour old (before, one click is a pace) and
    /// while the budget is not spent (then `budget_spent` says more).
    static func budgets(_ pacings: [Pacing], thresholds: AlertThresholds) -> [AlertCondition] {
        var conditions: [AlertCondition] = []
        for pacing in pacings where pacing.status != .notStarted && pacing.status != .ended && pacing.budget.amountMicros > 0 {
            let budget = pacing.budget
            let share = Double(pacing.spentMicros) * 100 / Double(budget.amountMicros)
            let subject = "\(budget.scope.rawValue) \(budget.scopeID)"
            let spent = "\(Advice.money(pacing.spentMicros)) of \(Advice.money(budget.amountMicros))\(budget.currency.map { " " + $0 } ?? "")"
            for threshold in thresholds.budgetSpentPercents where share >= threshold {
                conditions.append(
                    AlertCondition(
                        rule: .budgetSpent, level: number(threshold),
                        scope: AlertScope(budget.scope), scopeID: budget.scopeID, value: share, threshold: threshold,
                        message: "\(subject) has spent \(Advice.decimal(share, places: 1)) % of its \(budget.period.name) budget (\(spent))"))
            }
            // To one decimal, as the message says it: the alert's row changes when the figure
            // shown does, not with every evaluation as the clock moves the expected spend.
            if let exact = pacing.pacePercent, pacing.averageDailyMicros != nil, pacing.status != .exhausted, exact > thresholds.paceAheadPercent {
                let pace = (exact * 10).rounded() / 10
                conditions.append(
                    AlertCondition(
                        rule: .paceAhead, scope: AlertScope(budget.scope), scopeID: budget.scopeID, value: pace, threshold: thresholds.paceAheadPercent,
                        message:
                            "\(subject) spends \(Advice.decimal(pace, places: 1)) % ahead of the even pace of its \(budget.period.name) budget (\(spent))"
                    ))
            }
        }
        return conditions
    }

    /// `traffic_stopped`: a campaign or job whose last hour with clicks, `H`, started within the
    /// lookback, and `now − (H + 1 h) ≥ N` hours: no click for N whole hours since that hour ended.
    /// The value is the whole hours of silence, so that the alert's row changes once an hour,
    /// not at every evaluation.
    static func trafficStopped(_ activity: [ClickActivity], now: Int64, thresholds: AlertThresholds) -> [AlertCondition] {
        activity.compactMap { subject in
            let silent = now - (subject.lastClickHour + hour)
            guard silent >= thresholds.trafficStoppedHours * hour else { return nil }
            let hours = Double(silent / hour)
            return AlertCondition(
                rule: .trafficStopped, scope: AlertScope(subject.scope), scopeID: subject.id, value: hours,
                threshold: Double(thresholds.trafficStoppedHours),
                message:
                    "\(subject.scope.rawValue) \(subject.id) has had no click for \(number(hours)) hours (last in the hour from \(Timestamp.iso8601(subject.lastClickHour)))"
            )
        }
    }

    /// `cpc_spike`: for each campaign, the hour judged is the latest of the current and the
    /// previous hour with at least `cpcMinClicks` clicks; its CPC is compared with the median
    /// CPC of the campaign's hours with that many clicks among the `cpcTrailingHours` before it
    /// (at least `cpcMinTrailingHours` of them): fires when `CPC > K × median`.
    static func cpcSpikes(_ hours: [HourlyCost], now: Int64, thresholds: AlertThresholds) -> [AlertCondition] {
        let judgedFrom = floorHour(now) - hour
        return Dictionary(grouping: hours, by: \.campaignID).sorted { $0.key < $1.key }.compactMap { campaign, hours in
            let counted = hours.filter { $0.clicks >= thresholds.cpcMinClicks && $0.clicks > 0 }
            guard let judged = counted.filter({ $0.hourStart >= judgedFrom && $0.hourStart <= now }).max(by: { $0.hourStart < $1.hourStart }) else {
                return nil
            }
            let windowStart = judged.hourStart - thresholds.cpcTrailingHours * hour
            let trailing = counted.filter { $0.hourStart >= windowStart && $0.hourStart < judged.hourStart }.map(cpc)
            guard trailing.count >= thresholds.cpcMinTrailingHours, let median = median(trailing), median > 0 else { return nil }
            let value = cpc(judged), limit = thresholds.cpcFactor * median
            guard value > limit else { return nil }
            return AlertCondition(
                rule: .cpcSpike, scope: .campaign, scopeID: campaign, value: value, threshold: limit,
                message:
                    "campaign \(campaign) paid \(Advice.amount(value)) a click in the hour from \(Timestamp.iso8601(judged.hourStart)), \(Advice.decimal(value / median, places: 1)) times the median \(Advice.amount(median)) of its \(trailing.count) previous hours"
            )
        }
    }

    /// `pipeline_stalled`: data age above its limit (`data_age`), or the lake's lag above its
    /// limit (`lag`).
    static func pipeline(_ figures: PipelineFigures, thresholds: AlertThresholds) -> [AlertCondition] {
        var conditions: [AlertCondition] = []
        if let age = figures.dataAgeSeconds, age > thresholds.maxDataAgeSeconds {
            conditions.append(
                AlertCondition(
                    rule: .pipelineStalled, level: "data_age", scope: .pipeline, scopeID: nil, value: age, threshold: thresholds.maxDataAgeSeconds,
                    message:
                        "the newest committed event is \(number(age.rounded())) s old (limit \(number(thresholds.maxDataAgeSeconds)) s): the ETL is not committing, or no events arrive"
                ))
        }
        if let lag = figures.lagEvents, lag > thresholds.maxLagEvents {
            conditions.append(
                AlertCondition(
                    rule: .pipelineStalled, level: "lag", scope: .pipeline, scopeID: nil, value: Double(lag), threshold: Double(thresholds.maxLagEvents),
                    message: "\(lag) events wait in the lake (limit \(thresholds.maxLagEvents)): the ETL falls behind"))
        }
        return conditions
    }

    /// A whole number without decimals, any other with two.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : Advice.decimal(value, places: 2)
    }

    /// Cost per click of an hour, in the account's currency.
    static func cpc(_ cost: HourlyCost) -> Double { Money.amount(micros: cost.spendMicros) / Double(cost.clicks) }

    /// The middle value, or the mean of the two middle values.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func floorHour(_ millis: Int64) -> Int64 { millis - ((millis % hour) + hour) % hour }
}

extension AlertScope {
    init(_ scope: BudgetScope) {
        self = scope == .campaign ? .campaign : .job
    }
}

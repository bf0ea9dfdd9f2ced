import JobPulseCore

/// One publisher's figures for a campaign or a job over the advice's window.
public struct PublisherFigures: Sendable, Hashable {
    public var publisherID: Int32
    public var metrics: FunnelMetrics

    public init(publisherID: Int32, metrics: FunnelMetrics) {
        self.publisherID = publisherID
        self.metrics = metrics
    }

    public var clicks: Int64 { metrics.clicks }
    public var spendMicros: Int64 { metrics.spendMicros }
    public var conversions: Int64 { metrics.conversions }
    public var qualified: Int64 { metrics.qualified }
    public var disqualified: Int64 { metrics.unqualified }

    /// Spend per click; nil without clicks.
    public var costPerClick: Double? { clicks > 0 ? Money.amount(micros: spendMicros) / Double(clicks) : nil }
    public var costPerConversion: Double? { conversions > 0 ? Money.amount(micros: spendMicros) / Double(conversions) : nil }
    /// Qualified applications among all applications; nil without applications.
    public var qualifiedShare: Double? { qualified + disqualified > 0 ? Double(qualified) / Double(qualified + disqualified) : nil }
    public var costPerQualified: Double? { qualified > 0 ? Money.amount(micros: spendMicros) / Double(qualified) : nil }
}

/// What to do with a publisher's bid.
public enum Recommendation: String, Sendable, Hashable {
    case raise, keep, lower, pause
    /// Too little data to advise: the evidence says what is missing.
    case insufficientData = "insufficient_data"
}

/// The thresholds of the rules; the defaults are the documented ones.
public struct AdviceRules: Sendable, Hashable {
    /// Fewer clicks than this, and a publisher gets no advice.
    public var minimumClicks: Int64 = 30
    /// How unlikely a publisher's result must be, were it as good as the rest of the campaign,
    /// before it is called worse (or better).
    public var significance: Double = 0.05
    /// How far a publisher's cost per qualified application must be from the others' to move its
    /// bid: above `costRatio` times theirs to lower, below theirs divided by it to raise.
    public var costRatio: Double = 1.5
    /// The other publishers (those with enough clicks) must have at least this many qualified
    /// applications between them for a comparison of costs.
    public var minimumQualifiedElsewhere: Int64 = 5

    public init() {}
}

/// A recommendation with its evidence in numbers.
public struct PublisherAdvice: Sendable, Hashable {
    public let figures: PublisherFigures
    public let recommendation: Recommendation
    /// The probability the rule tested, when it tested one.
    public let probability: Double?
    /// The comparison's reference: the other publishers' pooled cost per qualified application.
    public let referenceCostPerQualified: Double?
    public let evidence: String
}

/// The rules, applied to every publisher of one campaign or job, in this order:
///
/// 1. **Too little data.** Fewer than `minimumClicks` clicks: no advice (`insufficient_data`).
/// 2. **Pause.** No conversion in n clicks, while at the campaign's own conversion rate p (all its
///    publishers' conversions over their clicks) n clicks without one happen with probability
///    (1 − p)^n below `significance`.
/// 3. **Lower / raise.** The reference is the pooled cost per qualified application of the other
///    publishers with enough clicks (their spend over their qualified applications), when they
///    have at least `minimumQualifiedElsewhere` of them and spent something on them (a reference
///    of 0, clicks bought at a bid of 0, compares with nothing: keep). At that cost the publisher's spend would
///    buy λ = spend / reference qualified applications; it got q. Lower when its cost is above
///    `costRatio` × the reference (no qualified application counts as above) and P(X ≤ q) <
///    `significance` for X Poisson with mean λ; raise when its cost is below the reference /
///    `costRatio` and P(X ≥ q) < `significance`.
/// 4. **Keep** otherwise, with the numbers that were compared.
public enum Advice {
    public static func of(_ publishers: [PublisherFigures], rules: AdviceRules = AdviceRules()) -> [PublisherAdvice] {
        let clicks = publishers.reduce(0) { $0 + $1.clicks }
        let conversions = publishers.reduce(0) { $0 + $1.conversions }
        let conversionRate = clicks > 0 ? Double(conversions) / Double(clicks) : 0
        let enough = publishers.filter { $0.clicks >= rules.minimumClicks }
        return publishers.map { figures in
            advise(figures, conversionRate: conversionRate, others: enough.filter { $0.publisherID != figures.publisherID }, rules: rules)
        }
    }

    static func advise(_ p: PublisherFigures, conversionRate: Double, others: [PublisherFigures], rules: AdviceRules) -> PublisherAdvice {
        guard p.clicks >= rules.minimumClicks else {
            return PublisherAdvice(
                figures: p, recommendation: .insufficientData, probability: nil, referenceCostPerQualified: nil,
                evidence: "\(p.clicks) clicks; advice needs at least \(rules.minimumClicks)")
        }
        if p.conversions == 0, conversionRate > 0 {
            let chance = Probability.noSuccess(trials: p.clicks, p: conversionRate)
            if chance < rules.significance {
                return PublisherAdvice(
                    figures: p, recommendation: .pause, probability: chance, referenceCostPerQualified: nil,
                    evidence: "\(p.clicks) clicks without a conversion; at the campaign's conversion rate of \(percent(conversionRate)) "
                        + "that happens with probability \(probability(chance))")
            }
        }
        let otherQualified = others.reduce(0) { $0 + $1.qualified }
        guard otherQualified >= rules.minimumQualifiedElsewhere else {
            return PublisherAdvice(
                figures: p, recommendation: .keep, probability: nil, referenceCostPerQualified: nil,
                evidence: "the other publishers with enough clicks have \(otherQualified) qualified applications; "
                    + "comparing costs needs at least \(rules.minimumQualifiedElsewhere)")
        }
        let reference = Money.amount(micros: others.reduce(0) { $0 + $1.spendMicros }) / Double(otherQualified)
        // Clicks bought at a bid of 0 cost nothing: a cost of 0 is no yardstick for any other.
        guard reference > 0 else {
            return PublisherAdvice(
                figures: p, recommendation: .keep, probability: nil, referenceCostPerQualified: reference,
                evidence: "the other publishers' \(otherQualified) qualified applications cost nothing; there is no cost to compare with")
        }
        let expected = Money.amount(micros: p.spendMicros) / reference
        let cost = p.costPerQualified
        let comparison =
            "\(p.qualified) qualified applications for \(money(p.spendMicros)), where the others' cost of \(amount(reference)) "
            + "each would have bought \(amount(expected))"
        if cost.map({ $0 > reference * rules.costRatio }) ?? (p.spendMicros > 0) {
            let chance = Probability.poissonAtMost(p.qualified, mean: expected)
            if chance < rules.significance {
                return PublisherAdvice(
                    figures: p, recommendation: .lower, probability: chance, referenceCostPerQualified: reference,
                    evidence: comparison + "; so few happen with probability \(probability(chance))")
            }
        } else if let cost, cost < reference / rules.costRatio {
            let chance = Probability.poissonAtLeast(p.qualified, mean: expected)
            if chance < rules.significance {
                return PublisherAdvice(
                    figures: p, recommendation: .raise, probability: chance, referenceCostPerQualified: reference,
                    evidence: comparison + "; so many happen with probability \(probability(chance))")
            }
        }
        return PublisherAdvice(
            figures: p, recommendation: .keep, probability: nil, referenceCostPerQualified: reference,
            evidence: comparison + "; within what chance explains")
    }

    static func percent(_ share: Double) -> String { decimal(share * 100, places: 2) + " %" }
    static func amount(_ value: Double) -> String { decimal(value, places: 2) }
    static func money(_ micros: Int64) -> String { decimal(Money.amount(micros: micros), places: 2) }
    static func probability(_ value: Double) -> String { value < 0.0001 ? "below 0.0001" : decimal(value, places: 4) }

    /// `value` rounded to `places` decimals, without Foundation's formatters.
    static func decimal(_ value: Double, places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((abs(value) * scale).rounded())
        let whole = scaled / Int64(scale), fraction = scaled % Int64(scale)
        let digits = String(fraction)
        return (value < 0 && scaled > 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: places - digits.count) + digits
    }
}

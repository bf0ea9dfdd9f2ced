import JobPulseCore
import Testing

@testable import JobPulseInsights

/// The advice rules on a campaign worked by hand (the figures in the comments are the rules'
/// formulas evaluated independently).
@Suite struct AdviceTests {
    static func publisher(_ id: Int32, clicks: Int64, conversions: Int64, spend: Int64, qualified: Int64, disqualified: Int64) -> PublisherFigures {
        PublisherFigures(
            publisherID: id,
            metrics: FunnelMetrics(clicks: clicks, conversions: conversions, qualified: qualified, unqualified: disqualified, spendMicros: spend * 1_000_000))
    }

    /// 1,170 clicks and 54 conversions in all: the campaign converts at p = 54 / 1,170 = 4.615 %.
    static let campaign = [
        publisher(1, clicks: 400, conversions: 20, spend: 200, qualified: 10, disqualified: 2),
        publisher(2, clicks: 300, conversions: 15, spend: 150, qualified: 8, disqualified: 3),
        publisher(3, clicks: 100, conversions: 0, spend: 50, qualified: 0, disqualified: 1),
        publisher(4, clicks: 20, conversions: 1, spend: 10, qualified: 1, disqualified: 0),
        publisher(5, clicks: 200, conversions: 10, spend: 300, qualified: 2, disqualified: 5),
        publisher(6, clicks: 150, conversions: 8, spend: 60, qualified: 12, disqualified: 1),
    ]

    @Test func eachRuleOnAWorkedCampaign() throws {
        let advice = Dictionary(uniqueKeysWithValues: Advice.of(Self.campaign).map { ($0.figures.publisherID, $0) })
        // 20 clicks: below the 30 that advice needs.
        #expect(advice[4]?.recommendation == .insufficientData)
        #expect(advice[4]?.evidence == "20 clicks; advice needs at least 30")
        // 100 clicks, no conversion: (1 − 0.04615)^100 = 0.008868 < 0.05.
        let paused = try #require(advice[3])
        #expect(paused.recommendation == .pause)
        #expect(abs(try #require(paused.probability) - 0.008868155210632948) < 1e-12)
        #expect(paused.evidence == "100 clicks without a conversion; at the campaign's conversion rate of 4.62 % that happens with probability 0.0089")
        // Others with enough clicks (1, 2, 3, 6): 460 for 30 qualified, 15.33 each; 300 buys
        // λ = 19.57 there, it bought 2: P(X ≤ 2) = 6.748e-7.
        let lowered = try #require(advice[5])
        #expect(lowered.recommendation == .lower)
        #expect(abs(try #require(lowered.referenceCostPerQualified) - 460.0 / 30) < 1e-9)
        #expect(abs(try #require(lowered.probability) - 6.748330230280954e-07) / 6.748330230280954e-07 < 1e-6)
        // Others (1, 2, 3, 5): 700 for 20, 35 each; 60 buys λ = 1.714 there, it bought 12:
        // P(X ≥ 12) = 2.785e-7.
        let raised = try #require(advice[6])
        #expect(raised.recommendation == .raise)
        #expect(abs(try #require(raised.probability) - 2.785382715586593e-07) / 2.785382715586593e-07 < 1e-5)
        // 1 and 2 cost 20 and 18.75 per qualified application against 25.45 and 25.42: keep.
        #expect(advice[1]?.recommendation == .keep && advice[2]?.recommendation == .keep)
        #expect(advice[1]?.evidence.hasSuffix("within what chance explains") == true)
    }

    @Test func noComparisonWithoutEnoughQualifiedApplicationsElsewhere() {
        let campaign = [
            Self.publisher(1, clicks: 100, conversions: 5, spend: 100, qualified: 1, disqualified: 0),
            Self.publisher(2, clicks: 100, conversions: 5, spend: 100, qualified: 3, disqualified: 0),
        ]
        let advice = Advice.of(campaign)
        #expect(advice.map(\.recommendation) == [.keep, .keep])
        #expect(advice[0].evidence == "the other publishers with enough clicks have 3 qualified applications; comparing costs needs at least 5")
    }

    /// Clicks bought at a bid of 0: the others' cost per qualified application is 0, a yardstick
    /// for nothing (dividing by it gave an infinite λ, and formatting that stopped the process).
    @Test func noComparisonWithOthersThatSpentNothing() {
        let campaign = [
            Self.publisher(1, clicks: 100, conversions: 5, spend: 0, qualified: 10, disqualified: 0),
            Self.publisher(2, clicks: 100, conversions: 5, spend: 50, qualified: 2, disqualified: 0),
        ]
        let advice = Advice.of(campaign)
        #expect(advice.map(\.recommendation) == [.keep, .keep])
        #expect(advice[1].referenceCostPerQualified == 0 && advice[1].probability == nil)
        #expect(advice[1].evidence == "the other publishers' 10 qualified applications cost nothing; there is no cost to compare with")
    }

    @Test func aCampaignWithoutConversionsPausesNobody() {
        let campaign = [Self.publisher(1, clicks: 500, conversions: 0, spend: 100, qualified: 0, disqualified: 0)]
        #expect(Advice.of(campaign).map(\.recommendation) == [.keep])
    }

    @Test func poissonTailsStayExactForLargeMeans() {
        // e^−1000 underflows a double; the sum in log space does not.
        #expect(abs(Probability.poissonAtMost(950, mean: 1000) - 0.05783629295530511) < 1e-9)
        #expect(abs(Probability.poissonAtMost(2, mean: 13.5) - 0.00014480755349931889) < 1e-15)
        #expect(Probability.poissonAtLeast(0, mean: 3) == 1)
        #expect(Probability.noSuccess(trials: 10, p: 0) == 1)
    }
}

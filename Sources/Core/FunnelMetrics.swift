/// The funnel counts of one grain: what a batch adds to a warehouse row, or what the row holds.
///
/// Every sum saturates at `Int64.max` instead of trapping: a bid may be up to 12 digits of whole
/// units (10^18 micros), so ten such clicks would overflow, and no event's content may stop the
/// ETL. A saturated figure is absurd rather than wrong by wrapping, and the lake keeps the rows.
public struct FunnelMetrics: Sendable, Hashable {
    public var clicks: Int64 = 0
    public var conversions: Int64 = 0
    public var qualified: Int64 = 0
    public var unqualified: Int64 = 0
    /// Sum of the bids of the clicks, in millionths.
    public var spendMicros: Int64 = 0

    public init(clicks: Int64 = 0, conversions: Int64 = 0, qualified: Int64 = 0, unqualified: Int64 = 0, spendMicros: Int64 = 0) {
        self.clicks = clicks
        self.conversions = conversions
        self.qualified = qualified
        self.unqualified = unqualified
        self.spendMicros = spendMicros
    }

    /// Counts one event; only clicks spend money.
    public mutating func add(_ event: NormalizedEvent) {
        switch event.kind {
        case .click:
            clicks = Saturating.add(clicks, 1)
            spendMicros = Saturating.add(spendMicros, event.bidMicros)
        case .conversion: conversions = Saturating.add(conversions, 1)
        case .qualified: qualified = Saturating.add(qualified, 1)
        case .unqualified: unqualified = Saturating.add(unqualified, 1)
        case .other: break
        }
    }

    public static func += (lhs: inout FunnelMetrics, rhs: FunnelMetrics) {
        lhs.clicks = Saturating.add(lhs.clicks, rhs.clicks)
        lhs.conversions = Saturating.add(lhs.conversions, rhs.conversions)
        lhs.qualified = Saturating.add(lhs.qualified, rhs.qualified)
        lhs.unqualified = Saturating.add(lhs.unqualified, rhs.unqualified)
        lhs.spendMicros = Saturating.add(lhs.spendMicros, rhs.spendMicros)
    }

    /// The warehouse's `spend_hour`.
    public var spend: Double { Money.amount(micros: spendMicros) }

    /// The warehouse's `bid_set`: the average bid of the clicks, 0 without clicks.
    public var averageBid: Double { clicks == 0 ? 0 : Money.amount(micros: spendMicros) / Double(clicks) }
}

/// Money is summed in integer millionths and shown as a decimal amount.
public enum Money {
    public static func amount(micros: Int64) -> Double { Double(micros) / 1_000_000 }
}

/// Integer sums that clamp at the ends of their type instead of trapping.
public enum Saturating {
    public static func add(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }

    public static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard overflow else { return sum }
        return b > 0 ? .max : .min
    }
}

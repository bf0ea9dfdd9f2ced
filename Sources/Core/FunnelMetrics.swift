/// The funnel counts of one grain: what a batch adds to a warehouse row, or what the row holds.
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
            clicks += 1
            spendMicros += event.bidMicros
        case .conversion: conversions += 1
        case .qualified: qualified += 1
        case .unqualified: unqualified += 1
        case .other: break
        }
    }

    public static func += (lhs: inout FunnelMetrics, rhs: FunnelMetrics) {
        lhs.clicks += rhs.clicks
        lhs.conversions += rhs.conversions
        lhs.qualified += rhs.qualified
        lhs.unqualified += rhs.unqualified
        lhs.spendMicros += rhs.spendMicros
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

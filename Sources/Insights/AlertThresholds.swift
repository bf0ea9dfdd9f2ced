/// The thresholds of the alert rules, each with its default; `jobpulse serve --help` names the
/// option that sets each one, and the README gives every rule with its formula.
public struct AlertThresholds: Sendable, Hashable {
    /// `budget_spent` fires at each of these shares of a budget spent in its period (%).
    public var budgetSpentPercents: [Double] = [80, 100]
    /// `pace_ahead` fires when a budget's spend is more than this ahead of the even pace (%),
    /// once its period is an hour old.
    public var paceAheadPercent: Double = 25
    /// `traffic_stopped` watches the campaigns and jobs that had clicks in this many hours…
    public var trafficLookbackHours: Int64 = 72
    /// …and fires for one that has had none for this many hours.
    public var trafficStoppedHours: Int64 = 6
    /// `cpc_spike` fires when an hour's cost per click is above this many times the median of
    /// the campaign's trailing hours…
    public var cpcFactor: Double = 3
    /// …counting only hours with at least this many clicks (the hour judged too)…
    public var cpcMinClicks: Int64 = 10
    /// …over the trailing window of this many hours…
    public var cpcTrailingHours: Int64 = 24
    /// …which must hold at least this many such hours.
    public var cpcMinTrailingHours: Int = 6
    /// `pipeline_stalled` fires when the newest committed event is older than this (seconds)…
    public var maxDataAgeSeconds: Double = 900
    /// …or when more than this many events wait in the lake.
    public var maxLagEvents: Int64 = 50_000

    public init() {}
}

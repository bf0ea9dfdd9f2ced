import JobPulseCore

/// Where a budget stands in its current period: what was spent, what remains, how that compares
/// with spending the amount evenly over the period, and when it runs out at the recent rate.
///
/// The warehouse counts spend per hour, so "spent so far" is the spend of the period's hours
/// that have started, and "the last 24 hours" the spend of the hours that started in the 24
/// hours up to now: figures are as fresh as the last commit, at an hour's resolution.
public struct Pacing: Sendable, Hashable {
    public let budget: Budget
    /// The current period: its first instant, and the instant after its last (nil: no end).
    public let periodStart: Int64
    public let periodEnd: Int64?
    public let spentMicros: Int64
    /// `amount − spent`, never below 0.
    public let remainingMicros: Int64
    /// How far into the period `now` is, from 0 to 1; nil for a period without an end.
    public let elapsedShare: Double?
    /// Linear pacing: the amount times the elapsed share. Nil without an end.
    public let expectedMicros: Int64?
    /// `(spent − expected) / expected × 100`: positive ahead of the even pace, negative behind. Nil when
    /// nothing is expected yet (the period has not started) or without an end.
    public let pacePercent: Double?
    /// Spent per elapsed day. Nil in the first hour of a period, too early to tell.
    public let averageDailyMicros: Double?
    /// Spend per day at the burn rate: that of the last 24 hours, or of the period so far when it
    /// is shorter.
    public let burnRatePerDayMicros: Double?
    /// When the remaining amount is spent at the burn rate (epoch milliseconds); nil when
    /// nothing is being spent, nothing remains, or that is after 9999-12-31 (the last day any
    /// time here is written for).
    public let runsOutAt: Int64?
    public let status: Status

    public enum Status: String, Sendable, Hashable {
        /// The period has not started (a lifetime budget starting later) or has ended.
        case notStarted = "not_started", ended
        /// Spent reached the amount.
        case exhausted
        /// More than the tolerance ahead of the even pace, or behind it.
        case ahead, behind
        case onTrack = "on_track"
        /// A lifetime without an end: no pace to compare with.
        case open
    }

    /// Pacing of `budget` at `now`. `spentMicros` is the spend in the period up to `now`;
    /// `recentSpendMicros` the spend of the burn window, which is the last 24 hours or, when
    /// shorter, the period so far. `tolerancePercent` is how far from the even pace is still on
    /// track.
    public init(budget: Budget, now: Int64, spentMicros: Int64, recentSpendMicros: Int64, tolerancePercent: Double = 10) {
        let (start, end) = budget.period.window(at: now)
        self.budget = budget
        periodStart = start
        periodEnd = end
        self.spentMicros = spentMicros
        remainingMicros = max(0, budget.amountMicros - spentMicros)
        let elapsed = max(0, min(now, end ?? now) - start)
        if let end {
            let share = Double(elapsed) / Double(end - start)
            elapsedShare = share
            expectedMicros = Int64((Double(budget.amountMicros) * share).rounded())
        } else {
            elapsedShare = nil
            expectedMicros = nil
        }
        // Each ratio is one division of exact products, so round figures come out round.
        pacePercent = expectedMicros.flatMap { $0 > 0 ? Double(spentMicros - $0) * 100 / Double($0) : nil }
        let day = Double(UTCDay.milliseconds)
        averageDailyMicros = elapsed >= Pacing.hour ? Double(spentMicros) * day / Double(elapsed) : nil
        let window = min(elapsed, UTCDay.milliseconds)
        burnRatePerDayMicros = window >= Pacing.hour ? Double(recentSpendMicros) * day / Double(window) : nil
        if remainingMicros > 0, let rate = burnRatePerDayMicros, rate > 0, now >= start, end.map({ now < $0 }) ?? true {
            // In floating point: a large amount at a tiny rate lasts past what an Int64 holds.
            let at = (Double(now) + Double(remainingMicros) / rate * day).rounded()
            runsOutAt = at <= Double(EventTime.maxMilliseconds) ? Int64(at) : nil
        } else {
            runsOutAt = nil
        }
        status = Pacing.status(
            now: now, start: start, end: end, exhausted: spentMicros >= budget.amountMicros, pace: pacePercent, tolerancePercent: tolerancePercent)
    }

    private static func status(now: Int64, start: Int64, end: Int64?, exhausted: Bool, pace: Double?, tolerancePercent: Double) -> Status {
        if now < start { return .notStarted }
        if exhausted { return .exhausted }
        guard let end else { return .open }
        if now >= end { return .ended }
        guard let pace else { return .onTrack }
        if pace > tolerancePercent { return .ahead }
        if pace < -tolerancePercent { return .behind }
        return .onTrack
    }

    static let hour: Int64 = 3_600_000

    /// The burn window for `now`: the last 24 hours, cut to the period's start.
    public static func burnWindowStart(budget: Budget, now: Int64) -> Int64 {
        max(budget.period.window(at: now).start, now - UTCDay.milliseconds)
    }
}

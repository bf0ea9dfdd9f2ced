import JobPulseClock
import Synchronization

/// What the ETL tells the rest of its process after each batch it commits: that one happened (a
/// signal the alerts wait on), and the lag that batch measured, with when. The dashboard's
/// `/healthz` and `/api/summary` and the alerts take the lag from here instead of counting the
/// lake again, so that however often they are asked, the lake is counted once per batch.
public final class CommitNotice: Sendable {
    public let signal = WakeSignal()
    private let last = Mutex<(lagEvents: Int64, at: Int64)?>(nil)
    private let clock: WallClock

    public init(clock: WallClock = .system) {
        self.clock = clock
    }

    /// Called by the ETL after each batch it committed.
    public func committed(_ batch: BatchReport) {
        let now = clock.now
        last.withLock { $0 = (Int64(batch.lagEvents), now) }
        signal.signal()
    }

    /// The events that waited in the lake after the last commit; nil before the first.
    public var lagEvents: Int64? { last.withLock { $0?.lagEvents } }

    /// The last batch's lag if it committed within `milliseconds`; nil when none did (an ETL that
    /// is idle, waits for a lease, or lost it measures nothing newer).
    public func lagEvents(within milliseconds: Int64) -> Int64? {
        let now = clock.now
        return last.withLock { last in last.flatMap { now - $0.at <= milliseconds ? $0.lagEvents : nil } }
    }
}

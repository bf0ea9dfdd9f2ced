import JobPulseClock
import JobPulseETL
import JobPulseLake
import Synchronization

/// The lake's lag (events not yet committed) for `/healthz` and `/api/summary`, from what the
/// process already holds: the lag the in-process ETL's last batch measured, when that batch
/// committed in the last few seconds. Otherwise (a collector without the ETL, an idle ETL, one
/// waiting for the lease) one count of the lake serves every request of the same second, so that
/// probes and viewers never multiply the lake's reads.
final class LakeLag: Sendable {
    struct Reading: Sendable {
        let events: Int64
        let isLowerBound: Bool
    }

    let lake: any EventLake
    let commits: CommitNotice?
    let clock: WallClock
    /// How old the ETL's last measure may be; beyond it, the lake is counted.
    static let reportedWithin: Int64 = 5_000
    /// How long one count of the lake serves.
    static let countedWithin: Int64 = 1_000

    private let counted = Mutex<(at: Int64, count: Task<Reading, any Error>)?>(nil)

    init(lake: any EventLake, commits: CommitNotice?, clock: WallClock) {
        self.lake = lake
        self.commits = commits
        self.clock = clock
    }

    /// The lag after the committed `position`.
    func reading(after position: String?) async throws -> Reading {
        if let reported = commits?.lagEvents(within: Self.reportedWithin) {
            return Reading(events: reported, isLowerBound: lake.isLowerBound(Int(reported)))
        }
        let now = clock.now
        let count = counted.withLock { counted -> Task<Reading, any Error> in
            if let counted, now - counted.at < Self.countedWithin { return counted.count }
            // A task of its own: a request that goes away must not cancel what the others wait for.
            let task = Task { [lake] in
                let lag = try await lake.count(after: position.map(LakePosition.init))
                return Reading(events: Int64(lag), isLowerBound: lake.isLowerBound(lag))
            }
            counted = (now, task)
            return task
        }
        do {
            return try await count.value
        } catch {
            // A failed count is not kept: the next request counts again.
            counted.withLock { counted in if counted?.at == now { counted = nil } }
            throw error
        }
    }
}

import JobPulseClock
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import Synchronization
import Testing

@testable import JobPulseETL
@testable import JobPulseServer

/// `/healthz` and `/api/summary` take the lake's lag from what the process holds: the in-process
/// ETL's last measure while it is recent, else one count of the lake shared by every request of
/// the same second. Counted by the lake's own `count` calls, never timed.
struct LakeLagTests {
    /// A lake whose `count` is counted, takes a while (so that readings overlap), and can fail.
    final class CountedLake: Sendable {
        let base: any EventLake
        let counts = LockedCounter()
        let failing = Mutex(false)

        init(_ base: any EventLake) { self.base = base }

        var lake: HookedLake { HookedLake(base: base, counting: { [self] position in try await count(after: position) }) }

        func count(after position: LakePosition?) async throws -> Int {
            counts.increment()
            try await Task.sleep(for: .milliseconds(50))
            if failing.withLock({ $0 }) { throw LakeDown() }
            return try await base.count(after: position)
        }
    }

    struct LakeDown: Error {}

    static func readings(_ lag: LakeLag, _ count: Int) async throws -> [Int64] {
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<count { group.addTask { try await lag.reading(after: nil).events } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func theETLsLastMeasureServesWhileItIsRecent() async throws {
        let store = try await TestStore(.sqlite)
        let lake = CountedLake(store.lake)
        try await store.lake.write((0..<7).map { _ in RawEvent() }, rejections: [])
        let clock = ManualWallClock(TestClock.now)
        let commits = CommitNotice(clock: clock.wallClock)
        let lag = LakeLag(lake: lake.lake, commits: commits, clock: clock.wallClock)
        commits.committed(BatchReport(from: nil, to: "1", funnel: 1, other: 0, grains: 1, milliseconds: 3, lagEvents: 42, newestEventTime: nil))
        #expect(try await Self.readings(lag, 100) == Array(repeating: 42, count: 100))
        #expect(lake.counts.value == 0, "a recent measure needs no count of the lake")

        clock.advance(milliseconds: LakeLag.reportedWithin + 1)  // the ETL measured nothing since
        #expect(try await Self.readings(lag, 100) == Array(repeating: 7, count: 100))
        #expect(lake.counts.value == 1, "100 readings of one second share one count")
        try await store.warehouse.close()
    }

    @Test func withoutAnETLOneCountServesEachSecondAndAFailedOneIsNotKept() async throws {
        let store = try await TestStore(.sqlite)
        let lake = CountedLake(store.lake)
        try await store.lake.write((0..<3).map { _ in RawEvent() }, rejections: [])
        let clock = ManualWallClock(TestClock.now)
        let lag = LakeLag(lake: lake.lake, commits: nil, clock: clock.wallClock)
        #expect(try await Self.readings(lag, 50) == Array(repeating: 3, count: 50))
        #expect(lake.counts.value == 1)

        try await store.lake.write([RawEvent()], rejections: [])
        clock.advance(milliseconds: 999)
        #expect(try await lag.reading(after: nil).events == 3, "within the second, the count it made")
        clock.advance(milliseconds: 1)
        #expect(try await lag.reading(after: nil).events == 4, "a second later, a new count")
        #expect(lake.counts.value == 2)

        clock.advance(milliseconds: 1_000)
        lake.failing.withLock { $0 = true }
        await #expect(throws: LakeDown.self) { try await lag.reading(after: nil) }
        lake.failing.withLock { $0 = false }
        #expect(try await lag.reading(after: nil).events == 4, "the failure was not kept: the next request counts again")
        #expect(lake.counts.value == 4)
        try await store.warehouse.close()
    }
}

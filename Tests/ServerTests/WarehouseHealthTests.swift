import JobPulseClock
import JobPulseTestSupport
import JobPulseWarehouse
import Synchronization
import Testing

@testable import JobPulseServer

/// `/healthz` answers the warehouse's part from its last reading: one read a second at most
/// however many probes come, made beside the probes that find the reading old, and waited for
/// only after a long quiet. Counted by the reads made, never timed.
struct WarehouseHealthTests {
    struct WarehouseDown: Error {}

    /// A read that is counted, takes a while (so that probes overlap it), and returns the number
    /// of reads so far as the row count, or fails while `failing`.
    final class CountedRead: Sendable {
        let reads = LockedCounter()
        let failing = Mutex(false)

        func read() async throws -> WarehouseHealth.Reading {
            reads.increment()
            try await Task.sleep(for: .milliseconds(50))
            if failing.withLock({ $0 }) { throw WarehouseDown() }
            return WarehouseHealth.Reading(state: nil, rows: Int64(reads.value))
        }
    }

    static func rows(_ health: WarehouseHealth, _ probes: Int) async -> [Int64?] {
        await withTaskGroup(of: Int64?.self) { group in
            for _ in 0..<probes { group.addTask { try? await health.reading().get().rows } }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func probesShareOneReadASecondAndDoNotWaitForIt() async throws {
        let clock = ManualWallClock(TestClock.now)
        let counted = CountedRead()
        let health = WarehouseHealth(clock: clock.wallClock) { try await counted.read() }
        #expect(await Self.rows(health, 100) == Array(repeating: 1, count: 100), "the first probes wait for the first read, together")
        clock.advance(milliseconds: WarehouseHealth.refreshAfter - 1)
        #expect(await Self.rows(health, 100) == Array(repeating: 1, count: 100))
        #expect(counted.reads.value == 1)

        clock.advance(milliseconds: 1)
        #expect(await Self.rows(health, 100) == Array(repeating: 1, count: 100), "an old reading is answered while a new one is read")
        _ = try await poll(every: .milliseconds(5)) { (try? await health.reading().get().rows) == 2 }
        #expect(try await health.reading().get().rows == 2)
        #expect(counted.reads.value == 2, "one read for the second's probes")
    }

    @Test func aFailedReadIsReportedUntilALaterOneSucceeds() async throws {
        let clock = ManualWallClock(TestClock.now)
        let counted = CountedRead()
        let health = WarehouseHealth(clock: clock.wallClock) { try await counted.read() }
        counted.failing.withLock { $0 = true }
        #expect(await Self.rows(health, 20) == Array(repeating: nil, count: 20))
        counted.failing.withLock { $0 = false }
        clock.advance(milliseconds: WarehouseHealth.waitAfter)
        #expect(try await health.reading().get().rows == 2, "after a long quiet, the probe waits for a new read")
    }
}

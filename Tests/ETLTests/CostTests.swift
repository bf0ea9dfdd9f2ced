import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import Testing

/// The cost of a batch follows the number of new events, not the size of the history. Counted
/// in rows, never timed.
@Suite struct CostTests {
    @Test(arguments: [0, 5_000, 40_000])
    func aBatchReadsOnlyTheNewEvents(history: Int) async throws {
        let store = try await TestStore()
        var generator = TrafficGenerator(seed: UInt64(history) + 1)
        if history > 0 {
            try await store.generate(&generator, count: history)
            _ = try await store.pipeline().runUntilCaughtUp()
        }
        let before = try await store.warehouse.state(source: "sqlite")
        let added = try await store.generate(&generator, count: 1_000).accepted

        let lakeRowsRead = LockedCounter()
        let counting = CountingLake(base: store.lake, rowsRead: lakeRowsRead)
        let pipeline = ETLPipeline(lake: counting, warehouse: store.warehouse)
        let report = try #require(try await pipeline.runBatch())
        #expect(report.events == added)
        #expect(lakeRowsRead.value == added)
        let after = try await store.warehouse.state(source: "sqlite")
        #expect(after!.eventsTotal - (before?.eventsTotal ?? 0) == Int64(added))
    }

    /// The read is a range search on the primary key: SQLite never scans the table for it.
    @Test func theBatchReadIsARangeSearch() async throws {
        let store = try await TestStore()
        let plan = try await store.lake.readPlan()
        #expect(plan.contains("SEARCH tracking USING INTEGER PRIMARY KEY (rowid>?)"), "\(plan)")
        #expect(!plan.contains("SCAN"), "\(plan)")
    }
}

/// A lake that counts the rows its reads return.
struct CountingLake: EventLake {
    let base: SQLiteLake
    let rowsRead: LockedCounter
    var kind: String { base.kind }
    func identity() async throws -> String { try await base.identity() }
    func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] { try await base.write(writes) }
    func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        let records = try await base.read(after: position, limit: limit)
        for _ in records { rowsRead.increment() }
        return records
    }
    func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        let records = try await base.readNormalized(after: position, limit: limit)
        for _ in records { rowsRead.increment() }
        return records
    }
    func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport { try await base.reprocess(progress: progress) }
    func count(after position: LakePosition?) async throws -> Int { try await base.count(after: position) }
    var countLimit: Int? { base.countLimit }
    func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int) { try await base.quarantine(limit: limit) }
}

import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

struct InjectedCrash: Error {}

/// Fails the `batch`-th batch (1-based, counted by reads) at `step`.
func crash(at step: BatchStep, inBatch batch: Int) -> @Sendable (BatchStep) throws -> Void {
    let reads = LockedCounter()
    return { current in
        if current == .read { reads.increment() }
        if current == step, reads.value == batch { throw InjectedCrash() }
    }
}

@Suite(.mariaDBWhenBuilt) struct ExactlyOnceTests {
    /// A failure at every step of a batch, in the first, a middle and the last batch of a
    /// multi-batch run, with new events arriving between the crash and the restart: after the
    /// restart the warehouse equals a from-scratch aggregation of the lake, every time.
    @Test(arguments: Backend.allCases, BatchStep.allCases)
    func failureAtEveryStepThenRestart(backend: Backend, step: BatchStep) async throws {
        for failingBatch in [1, 3, 5] {
            let store = try await TestStore(backend)
            var generator = TrafficGenerator(seed: 7)
            try await store.warehouse.upsertJobs(generator.jobs)
            let accepted = try await store.generate(&generator, count: 2_500).accepted

            let crashing = store.pipeline(batchSize: 500, owner: "crashing", checkpoint: crash(at: step, inBatch: failingBatch))
            await #expect(throws: InjectedCrash.self) { _ = try await crashing.runUntilCaughtUp() }

            let committed = try await store.warehouse.state(source: "sqlite")?.eventsTotal ?? 0
            let expectedCommitted = Int64(min(accepted, 500 * (step == .committed ? failingBatch : failingBatch - 1)))
            #expect(committed == expectedCommitted, "batch \(failingBatch) at \(step)")

            try await store.generate(&generator, count: 700)
            _ = try await store.pipeline(batchSize: 500, owner: "restarted").runUntilCaughtUp()
            try await expectWarehouseEqualsGroundTruth(store)
        }
    }

    @Test(arguments: Backend.allCases)
    func runningTwiceChangesNothing(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 3)
        try await store.warehouse.upsertJobs(generator.jobs)
        try await store.generate(&generator, count: 3_000)
        let first = try await store.pipeline(batchSize: 1_000).runUntilCaughtUp()
        #expect(first.events == 3_000 - generator.tally.malformed)
        let facts = try await store.warehouse.facts()
        let state = try await store.warehouse.state(source: "sqlite")

        let second = try await store.pipeline(batchSize: 1_000).runUntilCaughtUp()
        #expect(second.batches == 0)
        #expect(try await store.warehouse.facts() == facts)
        #expect(try await store.warehouse.state(source: "sqlite")?.position == state?.position)
        try await expectWarehouseEqualsGroundTruth(store)
    }

    @Test(arguments: Backend.allCases)
    func lateEventsAddToTheirOwnHour(backend: Backend) async throws {
        let store = try await TestStore(backend)
        func click(_ ts: String, bid: String) -> RawEvent {
            var e = RawEvent()
            e[.ts] = ts
            e[.customTrack] = "click"
            e[.jobID] = "42"
            e[.bid] = bid
            return e
        }
        try await store.lake.write([click("2026-11-29 09:10:00", bid: "1.00"), click("2026-11-29 10:05:00", bid: "2.00")], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        // Arrives after 09:00 and 10:00 were committed, and belongs to 09:00.
        try await store.lake.write([click("2026-11-29 09:59:59.999", bid: "0.50")], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()

        let facts = try await store.warehouse.facts()
        #expect(facts.count == 2)
        #expect(facts[0].grain.hour == UTCHour(date: "2026-11-29", hour: 9))
        #expect(facts[0].metrics.clicks == 2)
        #expect(facts[0].spendHour == 1.5)
        #expect(facts[0].bidSet == 0.75)
        #expect(facts[1].metrics.clicks == 1)
        #expect(facts[1].spendHour == 2.0)
    }

    @Test(arguments: Backend.allCases)
    func onlyOneWriterPerLake(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 5)
        try await store.generate(&generator, count: 100)
        _ = try await store.warehouse.acquireLease(source: "sqlite", lakeIdentity: try await store.lake.identity(), owner: "first", ttlMilliseconds: 60_000)
        await #expect(throws: WarehouseError.self) { _ = try await store.pipeline(owner: "second").runBatch() }
        #expect(try await store.warehouse.factCount() == 0)
        try await store.warehouse.releaseLease(source: "sqlite", owner: "first")
        #expect(try await store.pipeline(owner: "second").runBatch() != nil)
    }

    @Test(arguments: Backend.allCases)
    func aCommitFromAStalePositionIsRefused(backend: Backend) async throws {
        let store = try await TestStore(backend)
        let identity = try await store.lake.identity()
        _ = try await store.warehouse.acquireLease(source: "sqlite", lakeIdentity: identity, owner: "me", ttlMilliseconds: 60_000)
        let commit = BatchCommit(
            source: "sqlite", lakeIdentity: identity, owner: "me", from: "5", to: "10", deltas: [],
            funnel: 0, other: 5, newestEventTime: nil, elapsedMilliseconds: 0)
        await #expect(throws: WarehouseError.self) { try await store.warehouse.commit(commit) { _ in } }
        #expect(try await store.warehouse.state(source: "sqlite")?.position == nil)
    }

    @Test(arguments: Backend.allCases)
    func aWarehouseFedByAnotherLakeIsRefused(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 9)
        try await store.generate(&generator, count: 10)
        _ = try await store.pipeline().runUntilCaughtUp()
        let otherLake = try SQLiteLake(path: store.directory.file("other-lake.db"))
        let pipeline = ETLPipeline(lake: otherLake, warehouse: store.warehouse)
        await #expect(throws: WarehouseError.self) { _ = try await pipeline.runBatch() }
    }
}

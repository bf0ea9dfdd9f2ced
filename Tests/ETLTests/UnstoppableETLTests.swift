import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// Whatever the lake holds, the batch commits and the position moves: events the rules cannot
/// use are counted and reported, money that would overflow saturates, nothing is fatal.
@Suite(.mariaDBWhenBuilt) struct UnstoppableETLTests {
    static func click(job: String, ts: String, bid: String = "0.5") -> RawEvent {
        var event = RawEvent()
        event[.ts] = ts
        event[.customTrack] = "click"
        event[.jobID] = job
        event[.publisherID] = "3"
        event[.bid] = bid
        return event
    }

    /// A lake written by other means than admission may hold an unreadable `ts`: the ETL counts
    /// it as other and as unusable, says where the last one is, and commits past it.
    @Test(arguments: Backend.allCases)
    func unusableEventsAreCountedAndReported(backend: Backend) async throws {
        let store = try await TestStore(backend)
        let good = (0..<6).map { Self.click(job: "\($0 % 2 + 1)", ts: "2026-11-30 10:0\($0):00") }
        try await store.lake.write(Array(good[0..<3]) + [Self.click(job: "1", ts: "not a time")], rejections: [])
        try await store.lake.write([Self.click(job: "2", ts: "")] + Array(good[3...]), rejections: [])
        try await store.lake.write([Self.click(job: "9", ts: "31/12/2026")], rejections: [])

        let run = try await store.pipeline(batchSize: 4).runUntilCaughtUp()
        #expect(run.events == 9 && run.funnel == 6 && run.other == 3)
        let state = try #require(try await store.warehouse.state(source: "sqlite"))
        #expect(state.position == "9", "the position moved past every event")
        #expect(state.unusableTotal == 3)
        #expect(state.lastUnusablePosition == "9")
        #expect(state.eventsTotal == state.funnelTotal + state.otherTotal)
        try await expectWarehouseEqualsGroundTruth(store)
    }

    /// Absurd bids in one grain would overflow a 64-bit sum of millionths; the sum saturates in
    /// the warehouse instead of failing every commit from then on.
    @Test(arguments: Backend.allCases)
    func spendThatWouldOverflowSaturates(backend: Backend) async throws {
        let store = try await TestStore(backend)
        let clicks = (0..<20).map { _ in Self.click(job: "5", ts: "2026-11-30 10:15:00", bid: "999999999999") }
        try await store.lake.write(clicks, rejections: [])
        let run = try await store.pipeline(batchSize: 4).runUntilCaughtUp()
        #expect(run.events == 20 && run.batches == 5)
        let facts = try await store.warehouse.facts()
        #expect(facts.count == 1)
        #expect(facts.first?.metrics.clicks == 20)
        #expect(facts.first?.metrics.spendMicros == Int64.max)
    }
}

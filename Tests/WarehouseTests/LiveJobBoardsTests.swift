import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import Testing

@testable import JobPulseWarehouse

/// The job panels kept per selection by ``LiveJobBoards`` answer what the warehouse's own read
/// answers, after every commit that went through them, and never from a board that another
/// writer made stale.
@Suite(.mariaDBWhenBuilt) struct LiveJobBoardsTests {
    static let hour: Int64 = 3_600_000

    /// The page's ranges at `now` (ending at the next hour), all time, the last 24 hours of one
    /// publisher, of one campaign and of both, and one range inside a day.
    static func ranges(now: Int64, campaign: Int32) -> [DashboardFilter] {
        let next = now / hour * hour + hour
        return [1, 6, 24, 7 * 24, 30 * 24].map { DashboardFilter(from: next - $0 * hour, to: next) } + [
            DashboardFilter(), DashboardFilter(from: next - 24 * hour, to: next, publisherID: 1),
            DashboardFilter(from: next - 24 * hour, to: next, campaignID: campaign), DashboardFilter(publisherID: 2, campaignID: campaign),
            DashboardFilter(from: next - 20 * hour - 1_000, to: next - 5 * hour + 7),
        ]
    }

    /// Asks until the answer comes from a board (the first ask starts reading one).
    static func awaitBoard(_ boards: LiveJobBoards, _ filter: DashboardFilter) async throws {
        let answered = try await poll(every: .milliseconds(10)) {
            let before = boards.counts.answered
            _ = try await boards.jobActivity(filter, limit: 10)
            return boards.counts.answered > before
        }
        if !answered { Issue.record("no board answers for \(filter) within \(patience)") }
    }

    /// What the boards answer for `filter` is what the warehouse reads, and comes from a board.
    static func expectAnswersFromBoard(_ boards: LiveJobBoards, _ store: TestStore, _ filter: DashboardFilter) async throws {
        for limit in [10, 1_000] {
            let answered = boards.counts.answered
            let kept = try await boards.jobActivity(filter, limit: limit)
            #expect(boards.counts.answered == answered + 1, "not answered from a board: \(filter)")
            #expect(kept == (try await store.warehouse.jobActivity(filter, limit: limit)), "jobs of \(filter), limit \(limit)")
        }
    }

    /// `count` events of `generator`'s traffic committed into a new store, boards over its
    /// warehouse, and the last 24 hours to the next hour as a selection.
    static func committedTraffic(
        _ backend: Backend, _ generator: inout TrafficGenerator, count: Int
    ) async throws -> (TestStore, LiveJobBoards, DashboardFilter) {
        let store = try await TestStore(backend)
        try await store.warehouse.upsertJobs(generator.jobs)
        try await store.generate(&generator, count: count)
        _ = try await store.pipeline().runUntilCaughtUp()
        let boards = LiveJobBoards(base: store.warehouse, source: store.lake.kind)
        return (store, boards, DashboardFilter(from: TestClock.now - 24 * hour, to: TestClock.now + hour))
    }

    @Test(arguments: Backend.allCases)
    func boardsFollowEveryCommitOfTheETL(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 61)
        try await store.warehouse.upsertJobs(generator.jobs)
        let now = TestClock.now
        // Two days of traffic, committed before the boards exist.
        try await store.generate(&generator, count: 3_000, arrivingAt: now - 60 * 60_000)
        _ = try await store.pipeline().runUntilCaughtUp()
        let boards = LiveJobBoards(base: store.warehouse, source: store.lake.kind)
        let ranges = Self.ranges(now: now, campaign: try #require(generator.jobs.first?.campaignID))
        for filter in ranges.dropLast() { try await Self.awaitBoard(boards, filter) }
        for filter in ranges.dropLast() { try await Self.expectAnswersFromBoard(boards, store, filter) }
        // The next hour's 24 hours, read ahead of the hour as the default view does.
        let nextHour = DashboardFilter(from: ranges[2].from! + Self.hour, to: ranges[2].to! + Self.hour)
        await boards.readBoard(for: nextHour)

        // More traffic, late events among it, committed through the boards in many batches while
        // viewers ask, and a range first asked for while the commits land.
        try await store.generate(&generator, count: 3_000, arrivingAt: now)
        let etl = store.pipeline(batchSize: 200).committing(through: boards)
        async let caughtUp = etl.runUntilCaughtUp()
        for filter in ranges { _ = try await boards.jobActivity(filter, limit: 10) }
        let run = try await caughtUp
        #expect(run.batches >= 10)
        try await Self.awaitBoard(boards, ranges.last!)
        for filter in ranges + [nextHour] { try await Self.expectAnswersFromBoard(boards, store, filter) }
        try await store.warehouse.close()
    }

    @Test(arguments: Backend.allCases)
    func aCommitOfAnotherWriterIsNeverServedFromAStaleBoard(_ backend: Backend) async throws {
        var generator = TrafficGenerator(seed: 62)
        let (store, boards, filter) = try await Self.committedTraffic(backend, &generator, count: 1_000)
        try await Self.awaitBoard(boards, filter)
        try await Self.expectAnswersFromBoard(boards, store, filter)

        // Another process's ETL commits straight into the warehouse.
        try await store.generate(&generator, count: 1_000)
        _ = try await store.pipeline().runUntilCaughtUp()
        let (answered, reads) = boards.counts
        #expect(try await boards.jobActivity(filter, limit: 10) == (try await store.warehouse.jobActivity(filter, limit: 10)))
        #expect(boards.counts.answered == answered)
        // Read less than a minute ago: the warehouse answers until then, with no new board read.
        try await Task.sleep(for: .milliseconds(200))
        await boards.readBoard(for: filter)
        #expect(try await boards.jobActivity(filter, limit: 10) == (try await store.warehouse.jobActivity(filter, limit: 10)))
        #expect(boards.counts.answered == answered && boards.counts.reads == reads)
        try await store.warehouse.close()
    }

    /// Viewers who ask for a selection while its board is read wait for that read: the range is
    /// read once, not once more per asker from the warehouse beside it.
    @Test(arguments: Backend.allCases)
    func askersOfASelectionBeingReadWaitForThatRead(_ backend: Backend) async throws {
        var generator = TrafficGenerator(seed: 64)
        let (store, boards, filter) = try await Self.committedTraffic(backend, &generator, count: 2_000)
        let expected = try await store.warehouse.jobActivity(filter, limit: 10)
        let answers = try await withThrowingTaskGroup(of: JobActivity.self) { group in
            for _ in 0..<8 { group.addTask { try await boards.jobActivity(filter, limit: 10) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.count == 8 && answers.allSatisfy { $0 == expected })
        #expect(boards.counts.reads == 1, "one read of the range's jobs")
        #expect(boards.counts.answered == 8, "every asker answered from the board, none from the warehouse's own read")
        try await store.warehouse.close()
    }

    /// A board read that fails (the warehouse is not open yet, as while `serve` opens it in the
    /// background) keeps nothing, and the next ask reads again once the warehouse is there.
    @Test func aFailedReadIsTriedAgainAtTheNextAsk() async throws {
        let store = try await TestStore()
        var generator = TrafficGenerator(seed: 63)
        try await store.generate(&generator, count: 500)
        _ = try await store.pipeline().runUntilCaughtUp()
        let warehouse = WarehouseOpenedInBackground(kind: "sqlite", location: "test") { store.warehouse }
        let boards = LiveJobBoards(base: warehouse, source: store.lake.kind)
        let filter = DashboardFilter(from: TestClock.now - 24 * Self.hour, to: TestClock.now + Self.hour)
        await boards.readBoard(for: filter)
        for _ in 0..<2 {
            await #expect(throws: WarehouseUnavailable.self) { try await boards.jobActivity(filter, limit: 10) }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(boards.counts.reads == 0)
        await warehouse.keepOpening()
        try await Self.awaitBoard(boards, filter)
        try await Self.expectAnswersFromBoard(boards, store, filter)
        try await store.warehouse.close()
    }
}

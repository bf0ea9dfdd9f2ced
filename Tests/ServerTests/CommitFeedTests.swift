import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Logging
import Synchronization
import Testing

@testable import JobPulseServer

/// The commit stream carries the default view's figures, computed once per commit for every
/// open dashboard and equal to what the endpoints answer; nothing is computed while no dashboard
/// is open. The warehouse's reads are counted, never timed.
@Suite(.mariaDBWhenBuilt) struct CommitFeedTests {
    /// A dashboard warehouse that counts the panels' reads it is asked for.
    final class CountedDashboard: DashboardWarehouse {
        let base: any DashboardWarehouse
        let reads = Mutex(0)
        init(_ base: any DashboardWarehouse) { self.base = base }
        var kind: String { base.kind }
        func counted<T>(_ read: () async throws -> T) async rethrows -> T {
            reads.withLock { $0 += 1 }
            return try await read()
        }
        func state(source: String) async throws -> ETLState? { try await base.state(source: source) }
        func factCount() async throws -> Int { try await base.factCount() }
        func funnelTotals(_ f: DashboardFilter) async throws -> FunnelMetrics { try await counted { try await base.funnelTotals(f) } }
        func jobActivity(_ f: DashboardFilter, limit: Int) async throws -> JobActivity {
            try await counted { try await base.jobActivity(f, limit: limit) }
        }
        func jobTotals(_ f: DashboardFilter, source: String) async throws -> JobTotals {
            try await counted { try await base.jobTotals(f, source: source) }
        }
        func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] { try await base.jobDetails(jobIDs) }
        func dayGauges(_ f: DashboardFilter) async throws -> DayGauges { try await counted { try await base.dayGauges(f) } }
        func hourly(_ f: DashboardFilter) async throws -> [HourlyPoint] { try await counted { try await base.hourly(f) } }
        func breakdown(_ f: DashboardFilter, by d: BreakdownDimension) async throws -> [BreakdownRow] {
            try await counted { try await base.breakdown(f, by: d) }
        }
        func filterValues() async throws -> FilterValues { try await counted { try await base.filterValues() } }
    }

    /// The next `commit` event's data on `stream`, as JSON.
    static func nextCommit(_ iterator: inout AsyncStream<String>.Iterator) async throws -> [String: Any] {
        while let message = await iterator.next() {
            guard message.hasPrefix("event: commit\n"), let line = message.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }) else {
                continue
            }
            return try #require(try JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any])
        }
        throw TestFailure("the stream ended before a commit")
    }

    /// `value` as the endpoints write it, read back as JSON.
    static func json(_ value: some Encodable) throws -> Any { try JSONSerialization.jsonObject(with: try ServerJSON.encoder.encode(value)) }

    @Test(arguments: Backend.allCases)
    func everyOpenDashboardGetsTheDefaultViewComputedOncePerCommit(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 41)
        try await store.warehouse.upsertJobs(generator.jobs)
        let clock = ManualWallClock(TestClock.now)
        let counted = CountedDashboard(store.warehouse)
        let lag = LakeLag(lake: store.lake, commits: nil, clock: clock.wallClock)
        let answers = DashboardAnswers(
            source: store.lake.kind, lag: lag, warehouse: CommitCachedDashboard(base: counted, source: store.lake.kind, clock: clock.wallClock),
            clock: clock.wallClock)
        let feed = CommitFeed(
            defaultView: DefaultView(answers: answers, warehouse: store.warehouse, clock: clock.wallClock, boards: nil), logger: Logger(label: "test"))
        let running = Task { try await feed.run() }
        defer { running.cancel() }
        _ = running

        // No dashboard open: a commit computes nothing.
        try await store.generate(&generator, count: 500, arrivingAt: clock.now)
        _ = try await store.pipeline().runUntilCaughtUp()
        let alone = await feed.announcement(of: CommitAnnouncement(position: "1", committedAt: "2026-12-01T00:00:00Z"))
        #expect(alone.figures == nil && counted.reads.withLock { $0 } == 0, "nothing computed without a dashboard open")

        // A hundred open dashboards, one commit: one computation, the same figures to each.
        var streams = (0..<100).map { _ in feed.subscribe().makeAsyncIterator() }
        try await store.generate(&generator, count: 500, arrivingAt: clock.now)
        _ = try await store.pipeline().runUntilCaughtUp()
        counted.reads.withLock { $0 = 0 }
        feed.publish(position: "2", committedAt: "2026-12-01T00:00:01Z")
        var received: [[String: Any]] = []
        for index in streams.indices { received.append(try await Self.nextCommit(&streams[index])) }
        let perView = counted.reads.withLock { $0 }
        #expect(perView == 7, "funnel totals, jobs (active and top: one read), gauges, hourly, two breakdowns and filters: once for all 100, not \(perView)")
        let figures = try #require(received.first?["figures"] as? [String: Any])
        #expect(
            received.allSatisfy { $0["position"] as? String == "2" && NSDictionary(dictionary: $0["figures"] as? [String: Any] ?? [:]).isEqual(to: figures) })

        // Each part is what its endpoint answers for the default view's range, which the page computes the same way.
        let filter = DefaultView.filter(now: clock.now)
        let hour: Int64 = 3_600_000
        #expect(filter.to == (clock.now / hour + 1) * hour && filter.from == filter.to! - 24 * hour)
        #expect(
            NSDictionary(dictionary: figures["summary"] as? [String: Any] ?? [:]).isEqual(
                to: try Self.json(try await answers.summary(filter)) as! [String: Any]))
        for (key, answer) in [
            ("top_jobs", try Self.json(try await answers.topJobs(filter, limit: 10))), ("hourly", try Self.json(try await answers.hourly(filter))),
            ("publishers", try Self.json(try await answers.breakdown(filter, by: .publisher))),
            ("campaigns", try Self.json(try await answers.breakdown(filter, by: .campaign))), ("filters", try Self.json(try await answers.filters())),
        ] {
            #expect(NSDictionary(dictionary: figures[key] as? [String: Any] ?? [:]).isEqual(to: answer as! [String: Any]), "\(key)")
        }
        let clicks = ((figures["summary"] as? [String: Any])?["totals"] as? [String: Any])?["clicks"] as? Int
        #expect((clicks ?? 0) > 0, "the default view holds the commits' clicks")
        #expect(counted.reads.withLock { $0 } == perView, "the endpoints' answers came from the figures kept for the commit")
        try await store.warehouse.close()
    }
}

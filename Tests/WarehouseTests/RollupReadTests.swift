import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The panels read from the rollups give what a scan of `events` gives, for ranges that start
/// and end anywhere (inside an hour, on a day's edge, within one day, open on either side) and
/// every filter; the scan is written here, independently of the rollups' SQL.
@Suite(.mariaDBWhenBuilt) struct RollupReadTests {
    static let hour: Int64 = 3_600_000

    /// `events` summed over the hours whose start lies in the range, with the filter.
    static func scan(_ warehouse: SQLWarehouse, _ filter: DashboardFilter, group: String?) async throws -> [String] {
        var clauses = ["1 = 1"]
        var arguments: [SQLValue] = []
        if let from = filter.from {
            clauses.append("e.hour_start >= ?")
            arguments.append(.text(String(Timestamp.sql((from + hour - 1) / hour * hour).prefix(19))))
        }
        if let to = filter.to {
            clauses.append("e.hour_start <= ?")
            arguments.append(.text(String(Timestamp.sql(to / hour * hour).prefix(19))))
        }
        if let publisher = filter.publisherID {
            clauses.append("e.publisher_id = ?")
            arguments.append(.int(Int64(publisher)))
        }
        if let campaign = filter.campaignID {
            clauses.append("e.campaign_id = ?")
            arguments.append(.int(Int64(campaign)))
        }
        let select = group.map { "\($0) AS k, " } ?? ""
        let sql = """
            SELECT \(select)COUNT(DISTINCT CASE WHEN e.job_id <> 0 AND e.clicks + e.conversion + e.qualified_application + e.disqualified_application > 0
                   THEN e.job_id END) AS active, SUM(e.clicks) AS clicks, SUM(e.conversion) AS conversions, SUM(e.qualified_application) AS qualified,
                   SUM(e.disqualified_application) AS disqualified, SUM(e.spend_micros) AS spend
            FROM events e WHERE \(clauses.joined(separator: " AND "))\(group.map { " GROUP BY \($0) ORDER BY \($0)" } ?? "")
            """
        let bound = arguments
        return try await warehouse.database.read { session in
            try session.query(sql, bound).map { row in
                let key = group == nil ? "" : "\(try row.int("k")) "
                let figures = try ["clicks", "conversions", "qualified", "disqualified", "spend"].map { try row.optionalInt($0) ?? 0 }
                return key + (group == nil ? "\(try row.int("active")) " : "") + figures.map(String.init).joined(separator: " ")
            }
        }
    }

    static func text(_ m: FunnelMetrics) -> String { "\(m.clicks) \(m.conversions) \(m.qualified) \(m.unqualified) \(m.spendMicros)" }

    @Test(arguments: Backend.allCases)
    func everyRangeAndFilterReadsWhatAScanReads(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 23)
        try await store.warehouse.upsertJobs(generator.jobs)
        let now = TestClock.now / Self.hour * Self.hour + 1_234_567
        // Four days of traffic, one event every 70 s.
        try await store.generate(&generator, count: 5_000, arrivingAt: now)
        _ = try await store.pipeline().runUntilCaughtUp()
        let day = UTCDay.milliseconds
        let ranges: [(Int64?, Int64?)] = [
            (nil, nil), (now - 3_600_000, now), (now - 6 * Self.hour, now), (now - day, now), (now - 7 * day, now), (now - 30 * day, now),
            (now - 2 * day - 1, now - day + 1), (now - 3 * day, nil), (nil, now - day), (now - 90 * 60_000, now - 20 * 60_000),
            (UTCDay(epochMilliseconds: now).adding(days: -2).startMilliseconds, UTCDay(epochMilliseconds: now).startMilliseconds - 1),
            (UTCDay(epochMilliseconds: now).adding(days: -2).startMilliseconds - Self.hour, UTCDay(epochMilliseconds: now).startMilliseconds),
        ]
        let campaign = try #require(generator.jobs.first?.campaignID)
        let filters: [(Int32?, Int32?)] = [(nil, nil), (1, nil), (nil, campaign), (2, campaign)]
        for (from, to) in ranges {
            for (publisher, campaign) in filters {
                let filter = DashboardFilter(from: from, to: to, publisherID: publisher, campaignID: campaign)
                let totals = try await store.warehouse.totals(filter)
                let scanned = try await Self.scan(store.warehouse, filter, group: nil).first ?? ""
                let read = "\(totals.activeJobs) " + Self.text(totals.metrics)
                #expect(read == scanned.replacingOccurrences(of: "  ", with: " "), "totals of \(filter)")
                let byPublisher = try await store.warehouse.breakdown(filter, by: .publisher).sorted { $0.id < $1.id }
                #expect(byPublisher.map { "\($0.id) " + Self.text($0.metrics) } == (try await Self.scan(store.warehouse, filter, group: "e.publisher_id")))
                let byCampaign = try await store.warehouse.breakdown(filter, by: .campaign).sorted { $0.id < $1.id }
                #expect(byCampaign.map { "\($0.id) " + Self.text($0.metrics) } == (try await Self.scan(store.warehouse, filter, group: "e.campaign_id")))
                let jobs = try await store.warehouse.topJobs(filter, limit: 1_000).sorted { $0.jobID < $1.jobID }
                let scannedJobs = try await Self.scan(store.warehouse, filter, group: "e.job_id").filter {
                    !$0.hasPrefix("0 ") && $0.split(separator: " ")[1] != "0"
                }
                #expect(jobs.map { "\($0.jobID) " + Self.text($0.metrics) } == scannedJobs, "top jobs of \(filter)")
                let ranked = try await store.warehouse.topJobs(filter, limit: 1_000)
                let byClicks = ranked.sorted { $0.metrics.clicks > $1.metrics.clicks || ($0.metrics.clicks == $1.metrics.clicks && $0.jobID < $1.jobID) }
                let firstThree = try await store.warehouse.topJobs(filter, limit: 3)
                #expect(ranked == byClicks && firstThree == Array(ranked.prefix(3)), "ranking of \(filter)")
                let hourly = try await store.warehouse.hourly(filter)
                #expect(hourly.reduce(0) { $0 + $1.clicks } == totals.metrics.clicks && hourly.reduce(0) { $0 + $1.spendMicros } == totals.metrics.spendMicros)
            }
        }
        try await store.warehouse.close()
    }
}

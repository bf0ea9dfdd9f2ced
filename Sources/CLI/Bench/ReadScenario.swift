import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseWarehouse

/// Scenario 8: the dashboard's reads on a large warehouse. `rows` grains are written straight into
/// the warehouse's `events` (its triggers fill the rollups as a commit would), over `days` days
/// with a tenth of them in the last 24 hours. The job boards of the page's ranges, without and with
/// the filter, are read (as the server does once per selection and hour); then every endpoint's figures are computed as the server
/// computes them after a commit, for each range the page offers, without and with a publisher and
/// campaign filter: five times each, p50 and p95 (the slowest of five), the worst endpoint per
/// range and the worst range per endpoint. Then the same answer served again before the next
/// commit, as every further viewer gets it.
/// On SQLite, last, what the rollups' triggers cost the writes.
struct ReadScenario {
    let directory: String
    let rows: Int
    let days: Int
    /// An empty MySQL/MariaDB database; nil: an SQLite warehouse in `directory`.
    var mysqlWarehouse: String? = nil

    static let hour: Int64 = 3_600_000
    var tag: String { mysqlWarehouse == nil ? "8" : "8b" }
    static let endpoints = ["summary", "top-jobs", "hourly", "publishers", "campaigns", "filters"]

    func run(progress: (String) -> Void) async throws -> BenchFigures {
        let database = try benchDatabase(sqlitePath: directory + "/warehouse.db", mysql: mysqlWarehouse)
        var figures = BenchFigures(
            "\(tag). dashboard reads on \(grouped(rows)) warehouse rows over \(days) days (\(mysqlWarehouse == nil ? "SQLite" : "MySQL"))")
        let warehouse = SQLWarehouse(database: database)
        try await warehouse.migrate()
        // The ranges end on the last whole hour, so that each one is all data.
        let clock = WallClock.system.now
        let now = clock - clock % Self.hour
        let started = ContinuousClock.now
        progress("\(tag). writing \(grouped(rows)) rows over \(days) days")
        try await Self.writeHistory(into: database, rows: rows, days: days, endingAt: now)
        figures.add("rows written, with their rollups", Double(try await warehouse.factCount()), "rows")
        figures.add("writing them", (ContinuousClock.now - started).inSeconds, "s")

        let ranges: [(String, Int64?)] = [
            ("1 h", Self.hour), ("6 h", 6 * Self.hour), ("24 h", 24 * Self.hour), ("7 d", 7 * 24 * Self.hour), ("30 d", 30 * 24 * Self.hour), ("all", nil),
        ]
        let boards = LiveJobBoards(base: warehouse, source: "bench")
        var slowestBoard = 0.0
        for (name, length) in ranges {
            for filtered in [false, true] {
                progress("\(tag). reading the job board of \(name)\(filtered ? ", filtered" : "")")
                let selection = DashboardFilter(
                    from: length.map { now - $0 }, to: length == nil ? nil : now, publisherID: filtered ? 3 : nil, campaignID: filtered ? 4 : nil)
                slowestBoard = max(slowestBoard, try await Self.time { await boards.readBoard(for: selection) })
            }
        }
        figures.add("reading a selection's job board (once per selection and hour), slowest", slowestBoard * 1000, "ms")
        var worstPerEndpoint = Dictionary(uniqueKeysWithValues: Self.endpoints.map { ($0, 0.0) })
        for (name, length) in ranges {
            for filtered in [false, true] {
                progress("\(tag). reads, \(name)\(filtered ? ", filtered" : "")")
                let filter = DashboardFilter(
                    from: length.map { now - $0 }, to: length == nil ? nil : now, publisherID: filtered ? 3 : nil, campaignID: filtered ? 4 : nil)
                var p50s: [Double] = [], p95s: [Double] = []
                for endpoint in Self.endpoints {
                    var samples: [Double] = []
                    for _ in 0..<5 { samples.append(try await Self.time { try await Self.read(endpoint, filter, from: boards) }) }
                    samples.sort()
                    p50s.append(samples[2])
                    p95s.append(samples[4])
                    worstPerEndpoint[endpoint] = max(worstPerEndpoint[endpoint] ?? 0, samples[4])
                }
                let label = "\(name)\(filtered ? ", one publisher and campaign" : ""), slowest endpoint"
                figures.add("\(label) p50", (p50s.max() ?? 0) * 1000, "ms")
                figures.add("\(label) p95", (p95s.max() ?? 0) * 1000, "ms")
            }
        }
        for endpoint in Self.endpoints { figures.add("/api/\(endpoint), worst p95 of every range", (worstPerEndpoint[endpoint] ?? 0) * 1000, "ms") }

        let cached = CommitCachedDashboard(base: boards, source: "bench")
        var served = 0.0
        for (_, length) in ranges {
            let filter = DashboardFilter(from: length.map { now - $0 }, to: length == nil ? nil : now)
            for endpoint in Self.endpoints {
                _ = try await Self.time { try await Self.read(endpoint, filter, from: cached) }
                served = max(served, try await Self.time { try await Self.read(endpoint, filter, from: cached) })
            }
        }
        figures.add("an answer served again before the next commit, slowest", served * 1000, "ms")
        try await warehouse.close()
        if mysqlWarehouse == nil { try await writeCost(into: &figures, progress: progress) }
        return figures
    }

    /// The rollups' cost on the write path, like for like: the same grains (up to a million)
    /// written into two new warehouses, one with the triggers that keep the rollups and one
    /// whose triggers were dropped.
    private func writeCost(into figures: inout BenchFigures, progress: (String) -> Void) async throws {
        let grains = min(rows, 1_000_000)
        var seconds: [Bool: Double] = [:]
        for withTriggers in [true, false] {
            progress("8. writing \(grouped(grains)) grains \(withTriggers ? "with" : "without") the rollups' triggers")
            let database = try SQLiteDatabase(path: directory + "/writes-\(withTriggers).db")
            let warehouse = SQLWarehouse(database: database)
            try await warehouse.migrate()
            if !withTriggers {
                _ = try await database.write { session in
                    for trigger in try session.query("SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                        try session.execute("DROP TRIGGER \"\(try trigger.text("name"))\"")
                    }
                    return 0
                }
            }
            let now = WallClock.system.now / Self.hour * Self.hour
            seconds[withTriggers] = try await Self.time { try await Self.fill(database, rows: grains, firstHour: now - 24 * Self.hour, hours: 24) }
            try await warehouse.close()
        }
        let (with, without) = (seconds[true] ?? .nan, seconds[false] ?? .nan)
        figures.add("writing \(grouped(grains)) grains with the rollups' triggers", Double(grains) / with, "grains/s")
        figures.add("the same without them", Double(grains) / without, "grains/s")
        figures.add("time with the triggers against without", with / without, "x")
    }

    /// What each endpoint asks of the warehouse (`/api/summary` asks the totals, the gauges and
    /// the ETL's state).
    static func read(_ endpoint: String, _ filter: DashboardFilter, from warehouse: any DashboardWarehouse) async throws {
        switch endpoint {
        case "summary":
            _ = try await warehouse.totals(filter)
            _ = try await warehouse.dayGauges(filter)
            _ = try await warehouse.state(source: "bench")
        case "top-jobs": _ = try await warehouse.topJobs(filter, limit: 10)
        case "hourly": _ = try await warehouse.hourly(filter)
        case "publishers": _ = try await warehouse.breakdown(filter, by: .publisher)
        case "campaigns": _ = try await warehouse.breakdown(filter, by: .campaign)
        default: _ = try await warehouse.filterValues()
        }
    }

    static func time(_ work: () async throws -> Void) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        try await work()
        return (clock.now - started).inSeconds
    }

    /// `rows` grains over the `days` days before the hour `now`, a tenth of them in the last 24
    /// hours: the history of scenarios 8 and 9.
    static func writeHistory(into database: any SQLDatabase, rows: Int, days: Int, endingAt now: Int64) async throws {
        let recent = rows / 10
        try await fill(database, rows: rows - recent, firstHour: now - Int64(days) * 24 * hour, hours: (days - 1) * 24)
        try await fill(database, rows: recent, firstHour: now - 24 * hour, hours: 24)
        try await (database as? SQLiteDatabase)?.checkpoint()
    }

    /// `rows` grains spread evenly over `hours` hours from `firstHour`: in each hour, job ids
    /// from 1 up, over 20 publishers, 50 campaigns and 10 groups; a few clicks each, some
    /// conversions and applications. Written with statements of 1,000 rows that bind every value,
    /// 50 statements to a transaction, in any dialect.
    private static func fill(_ database: any SQLDatabase, rows: Int, firstHour: Int64, hours: Int) async throws {
        guard rows > 0, hours > 0 else { return }
        let perHour = (rows + hours - 1) / hours
        let statementRows = 1_000
        let placeholders = "(" + Array(repeating: "?", count: 17).joined(separator: ", ") + ")"
        let insert = """
            INSERT INTO events (job_id, dates, hours, hour_start, disqualified_application, qualified_application, conversion, company_id,
                                group_id, campaign_id, publisher_id, bid_set, clicks, spend_hour, spend_micros, sources, updated_at)
            VALUES
            """
        let updatedAt = SQLValue.text(String(Timestamp.sql(WallClock.system.now).prefix(19)))
        @Sendable func values(_ i: Int) -> [SQLValue] {
            let slot = i % perHour
            let hourStart = firstHour + Int64(i / perHour) * hour
            let clicks = Int64(1 + i % 3)
            return [
                .int(Int64(slot + 1)), .text(UTCDay(epochMilliseconds: hourStart).description), .int(hourStart % UTCDay.milliseconds / hour),
                .text(String(Timestamp.sql(hourStart).prefix(19))), .int(i % 29 == 0 ? 1 : 0), .int(i % 23 == 0 ? 1 : 0), .int(i % 11 == 0 ? 1 : 0),
                .int(Int64(slot % 300 + 1)), .int(Int64(slot % 10 + 1)), .int(Int64(slot % 50 + 1)), .int(Int64(slot % 20)), .double(0.35),
                .int(clicks), .double(Double(clicks) * 0.35), .int(clicks * 350_000), .text("bench"), updatedAt,
            ]
        }
        var next = 0
        while next < rows {
            let first = next
            let last = min(rows, first + 50 * statementRows)
            _ = try await database.write { session in
                var start = first
                while start < last {
                    let end = min(last, start + statementRows)
                    let sql = insert + Array(repeating: placeholders, count: end - start).joined(separator: ", ")
                    try session.execute(sql, (start..<end).flatMap(values))
                    start = end
                }
                return 0
            }
            next = last
        }
    }
}

#if MySQL
import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseClock
import JobPulseCore
import JobPulseGenerator
import JobPulseInsights
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import JobPulseWarehouse
import MariaDBTestSupport
import Synchronization
import Testing

/// Grafana cannot run here, so its dashboard is checked the way Grafana would run it: every
/// panel's SQL is taken from the provisioned JSON, its macro and variables are substituted as
/// Grafana's MySQL data source does, it runs on MariaDB with known data, and its result must
/// equal the built-in dashboard's `/api` answer for the same range and filters.
@Suite(.sharedServer) struct GrafanaDashboardTests {
    struct Panel {
        var title: String
        var sql: String
    }

    static func panels() throws -> [Panel] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("deploy/grafana/dashboards/jobpulse.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        return panels.compactMap { panel in
            guard let title = panel["title"] as? String, let targets = panel["targets"] as? [[String: Any]],
                let sql = targets.first?["rawSql"] as? String
            else { return nil }
            return Panel(title: title, sql: sql)
        }
    }

    /// `$__timeFilter(column)` becomes `column BETWEEN FROM_UNIXTIME(from) AND FROM_UNIXTIME(to)`,
    /// `$__timeFrom()` and `$__timeTo()` become `FROM_UNIXTIME(from)` and `FROM_UNIXTIME(to)`, with
    /// whole epoch seconds, and `$var` becomes the variable's value (`-1` for All).
    static func substitute(_ sql: String, from: Int64, to: Int64, publisher: Int32?, campaign: Int32?) -> String {
        var text = sql
        while let macro = text.firstRange(of: "$__timeFilter(") {
            let close = text[macro.upperBound...].firstIndex(of: ")")!
            let column = text[macro.upperBound..<close]
            text.replaceSubrange(macro.lowerBound...close, with: "\(column) BETWEEN FROM_UNIXTIME(\(from)) AND FROM_UNIXTIME(\(to))")
        }
        return text.replacingOccurrences(of: "$__timeFrom()", with: "FROM_UNIXTIME(\(from))")
            .replacingOccurrences(of: "$__timeTo()", with: "FROM_UNIXTIME(\(to))")
            .replacingOccurrences(of: "$publisher", with: String(publisher ?? -1))
            .replacingOccurrences(of: "$campaign", with: String(campaign ?? -1))
    }

    /// The panels of the time range: each filters its rows with `$__timeFilter`.
    static func rangePanels() throws -> [Panel] { try panels().filter { $0.sql.contains("$__timeFilter(") } }

    /// The budget panels: each reads the current period of every budget at the database's UTC
    /// time (`UTC_TIMESTAMP(3)`, once), whatever the time range.
    static func budgetPanels() throws -> [Panel] { try panels().filter { $0.sql.contains("FROM budget b") } }

    @Test func theDashboardHasItsPanels() throws {
        #expect(try Self.panels().count == 14)
        #expect(try Self.panels().map(\.title).last == "Alerts")
        #expect(try Self.rangePanels().count == 11)
        #expect(try Self.budgetPanels().map(\.title) == ["Budget pacing", "Budget spent this period"])
        #expect(try Self.budgetPanels().allSatisfy { $0.sql.components(separatedBy: "UTC_TIMESTAMP(3)").count == 2 })
    }

    @Test func everyPanelMatchesTheBuiltInAPI() async throws {
        let panels = try Self.rangePanels()
        #expect(panels.count == 11)
        let store = try await TestStore(.mysql)
        var generator = TrafficGenerator(seed: 31)
        try await store.warehouse.upsertJobs(generator.jobs)
        let now = TestClock.now / 1000 * 1000
        var batch = IntakeBatch(origin: "test")
        for index in 0..<6_000 {
            batch.admit(fields: generator.nextRow(arrivingAt: now - Int64(index) * 40_000), layout: .standard, location: index)
        }
        _ = try await batch.flush(to: store.lake)
        _ = try await store.pipeline().runUntilCaughtUp()

        let router = try JobPulseServer(configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil).makeRouter()
        let nowSeconds = now / 1000
        let today = nowSeconds - nowSeconds % 86_400
        let ranges: [(Int64, Int64)] = [
            (nowSeconds - 86_400, nowSeconds), (nowSeconds - 3 * 86_400, nowSeconds - 86_400 - 1_800),
            (nowSeconds - 7_200, nowSeconds + 3_600), (1_000_000_000, 2_000_000_000),
            // Whole UTC days with hours at both ends, whole days from and to midnight, and ranges
            // that end just before a day's last hour or start just after its first.
            (nowSeconds - 2 * 86_400 - 5_400, nowSeconds - 5 * 3_600), (today - 2 * 86_400, today - 1),
            (today - 2 * 86_400, today - 86_400 - 5_400), (today - 2 * 86_400 + 1, today),
        ]
        let campaign = try #require(generator.jobs.first?.campaignID)
        let filters: [(Int32?, Int32?)] = [(nil, nil), (1, nil), (nil, campaign), (3, campaign)]
        let compared = LockedCounter()
        try await Application(router: router).test(.router) { client in
            for (from, to) in ranges {
                for (publisher, campaign) in filters {
                    var query = "from=\(Timestamp.iso8601(from * 1000))&to=\(Timestamp.iso8601(to * 1000))"
                    if let publisher { query += "&publisher_id=\(publisher)" }
                    if let campaign { query += "&campaign_id=\(campaign)" }
                    let api = try await Self.api(client, query: query)
                    for panel in panels {
                        let sql = Self.substitute(panel.sql, from: from, to: to, publisher: publisher, campaign: campaign)
                        let rows = try await store.warehouse.database.read { session in try session.query(sql) }
                        let expected = try #require(Self.expected(for: panel.title, in: api), "no API figure for panel \(panel.title)")
                        #expect(Self.same(rows, expected), "\(panel.title) for \(query): Grafana \(rows) vs API \(expected)")
                        compared.increment()
                    }
                }
            }
        }
        #expect(compared.value == 11 * ranges.count * filters.count)
    }

    // MARK: - The alerts panel

    /// The alerts panel lists exactly what `/api/alerts` does, in its order: firing first, then
    /// the most recent change.
    @Test func theAlertsPanelMatchesTheAPI() async throws {
        let panel = try #require(try Self.panels().first { $0.title == "Alerts" })
        let store = try await TestStore(.mysql)
        let conditions = [
            AlertCondition(rule: .trafficStopped, scope: .job, scopeID: 7, value: 6.5, threshold: 6, message: "job 7 stopped"),
            AlertCondition(rule: .budgetSpent, level: "80", scope: .campaign, scopeID: 3, value: 83, threshold: 80, message: "campaign 3 spent"),
            AlertCondition(rule: .pipelineStalled, level: "lag", scope: .pipeline, scopeID: nil, value: 60_001, threshold: 50_000, message: "lag"),
        ]
        _ = try await store.warehouse.applyAlertChanges(AlertTransitions.changes(stored: [], conditions: conditions, now: 1_000), targets: [])
        let stored = try await store.warehouse.alerts()
        _ = try await store.warehouse.applyAlertChanges(
            AlertTransitions.changes(stored: stored, conditions: Array(conditions.prefix(2)), now: 2_000), targets: [])
        _ = try await store.warehouse.applyAlertChanges(
            AlertTransitions.changes(stored: try await store.warehouse.alerts(), conditions: [conditions[0]], now: 3_000), targets: [])
        let router = try JobPulseServer(configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil).makeRouter()
        try await Application(router: router).test(.router) { client in
            let answer = try await client.execute(uri: "/api/alerts", method: .get) { response in
                try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            }
            let alerts = try #require(answer["alerts"] as? [[String: Any]])
            #expect(alerts.map { $0["key"] as? String } == ["traffic_stopped:job:7", "budget_spent:80:campaign:3", "pipeline_stalled:lag:pipeline"])
            let expected: [[Any]] = alerts.map { alert in
                let since = (try? EventTime.parse(alert["since"] as? String).get()).map { NSNumber(value: $0) } ?? NSNumber(value: -1)
                return [alert["key"] ?? NSNull(), alert["state"] ?? NSNull(), alert["rule"] ?? NSNull(), alert["scope"] ?? NSNull()]
                    + [alert["scope_id"] ?? NSNull(), since, alert["value"] ?? NSNull(), alert["threshold"] ?? NSNull(), alert["message"] ?? NSNull()]
            }
            let rows = try await store.warehouse.database.read { session in try session.query(panel.sql) }
            #expect(Self.same(rows, expected), "Grafana \(rows) vs API \(expected)")
        }
        try await store.warehouse.close()
    }

    // MARK: - The budget panels

    /// `/api/pacing`, for one campaign or all.
    static func pacing(_ client: some TestClientProtocol, campaign: Int32?) async throws -> [String: Any] {
        try await client.execute(uri: "/api/pacing" + (campaign.map { "?campaign_id=\($0)" } ?? ""), method: .get) { response in
            #expect(response.status == .ok)
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }
    }

    /// The API's rows for a budget panel, in the panel's column order.
    static func expectedBudgetRows(for title: String, in pacing: [String: Any]) -> [[Any]]? {
        guard let entries = pacing["budgets"] as? [[String: Any]] else { return nil }
        switch title {
        case "Budget pacing":
            return entries.map { entry in
                let budget = entry["budget"] as? [String: Any] ?? [:]
                return ["scope", "scope_id", "period", "amount"].map { budget[$0] ?? NSNull() }
                    + ["spent", "remaining", "expected_spend", "pace_percent", "status"].map { entry[$0] ?? NSNull() }
            }
        case "Budget spent this period":
            return entries.map { entry in
                let budget = entry["budget"] as? [String: Any] ?? [:]
                let spent = (entry["spent"] as? NSNumber)?.doubleValue ?? .nan
                let amount = (budget["amount"] as? NSNumber)?.doubleValue ?? .nan
                return ["\(budget["scope"] ?? "") \(budget["scope_id"] ?? "")", NSNumber(value: spent / amount)]
            }
        default: return nil
        }
    }

    /// A budget panel's SQL for `campaign` (nil: All), its clock stopped at `instant` when one is given.
    static func budgetSQL(_ panel: Panel, campaign: Int32?, at instant: Int64? = nil) -> String {
        let sql = substitute(panel.sql, from: 0, to: 0, publisher: nil, campaign: campaign)
        guard let instant else { return sql }
        return sql.replacingOccurrences(of: "UTC_TIMESTAMP(3)", with: "CAST('\(Timestamp.sql(instant))' AS DATETIME(3))")
    }

    static func at(_ text: String) -> Int64 { try! EventTime.parse(text).get() }

    /// Budgets in every state around November 2026, and spend placed by hand about their periods' edges.
    static func placeBudgets(_ store: TestStore) async throws {
        let w = store.warehouse
        try await w.upsertJobs([
            JobRecord(jobID: 7, companyID: 1, groupID: 1, campaignID: 5), JobRecord(jobID: 10, companyID: 1, groupID: 1, campaignID: 5),
        ])
        func day(_ text: String) -> UTCDay { UTCDay(text)! }
        let budgets = [
            Budget(scope: .campaign, scopeID: 3, amountMicros: 100_000_000, period: .daily, currency: "EUR"),
            Budget(scope: .job, scopeID: 7, amountMicros: 3_000_000_000, period: .monthly),
            Budget(scope: .campaign, scopeID: 4, amountMicros: 1_000_000_000, period: .lifetime(from: day("2026-11-01"), through: day("2026-11-10"))),
            Budget(scope: .job, scopeID: 8, amountMicros: 500_000_000, period: .lifetime(from: day("2026-12-01"), through: day("2026-12-31"))),
            Budget(scope: .campaign, scopeID: 6, amountMicros: 20_000_000, period: .daily),
            Budget(scope: .job, scopeID: 9, amountMicros: 200_000_000, period: .lifetime(from: day("2026-11-14"), through: nil)),
            Budget(scope: .job, scopeID: 10, amountMicros: 999_999_999_999_999_999, period: .lifetime(from: day("2026-02-01"), through: day("9999-12-31"))),
            Budget(scope: .campaign, scopeID: 11, amountMicros: 3, period: .monthly),
        ]
        for budget in budgets { try await w.setBudget(budget) }
        let spend: [(String, Int32, Int32, Double)] = [
            ("2026-11-15 23:00:00", 3, 30, 40), ("2026-11-16 02:00:00", 3, 30, 10), ("2026-11-16 11:00:00", 3, 30, 10),
            ("2026-11-16 12:00:00", 3, 30, 5), ("2026-11-16 13:00:00", 3, 30, 50), ("2026-11-30 23:00:00", 3, 30, 7),
            ("2026-12-01 00:00:00", 3, 30, 3), ("2026-12-31 23:00:00", 3, 30, 12.345678), ("2028-02-29 11:00:00", 3, 30, 2.5),
            ("2026-10-31 23:00:00", 5, 7, 500), ("2026-11-01 00:00:00", 5, 7, 1190), ("2026-11-15 12:00:00", 5, 7, 100),
            ("2026-11-16 03:00:00", 5, 7, 570), ("2026-12-01 00:00:00", 5, 7, 10), ("2028-02-01 00:00:00", 5, 7, 100),
            ("2028-02-29 12:00:00", 5, 7, 5), ("2026-11-05 10:00:00", 4, 40, 900), ("2026-11-10 23:00:00", 4, 40, 30),
            ("2026-11-11 00:00:00", 4, 40, 50), ("2026-11-16 05:00:00", 80, 8, 30), ("2026-12-01 00:00:00", 80, 8, 60),
            ("2026-12-31 23:00:00", 80, 8, 440.000001), ("2026-11-16 08:00:00", 6, 60, 30), ("2026-12-01 00:00:00", 6, 60, 21),
            ("2026-11-13 23:00:00", 90, 9, 99), ("2026-11-14 05:00:00", 90, 9, 30), ("2026-11-16 06:00:00", 90, 9, 10),
            ("2026-11-16 12:00:00", 90, 9, 10), ("2026-02-01 00:00:00", 5, 10, 1_000_000), ("2026-11-16 12:00:00", 5, 10, 0.000001),
            ("2026-11-16 01:00:00", 11, 110, 0.000001), ("2026-11-30 22:00:00", 11, 110, 0.000002),
        ]
        for (hour, campaign, job, amount) in spend {
            try await BudgetRoutesTests.place(store, hour: hour, campaign: campaign, job: job, spend: amount)
        }
    }

    /// With the database's clock (`UTC_TIMESTAMP(3)`) replaced by an instant and the API's clock
    /// stopped at it, every budget panel gives exactly `/api/pacing`'s figures: at the edges of
    /// days, months, a leap February and lifetimes, for all campaigns and for one.
    @Test func theBudgetPanelsMatchPacingAtFixedInstants() async throws {
        let panels = try Self.budgetPanels()
        let store = try await TestStore(.mysql)
        try await Self.placeBudgets(store)
        let time = ManualWallClock(0)
        let router = try JobPulseServer(
            configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil, clock: time.wallClock
        ).makeRouter()
        let instants = [
            "2026-11-16 12:00:00.000", "2026-11-16 12:34:56.789", "2026-11-16 00:00:00.000", "2026-10-31 23:59:59.999",
            "2026-11-10 23:59:59.999", "2026-11-11 00:00:00.000", "2026-11-30 23:59:59.999", "2026-12-01 00:00:00.000",
            "2026-12-31 23:30:00.000", "2027-01-01 00:00:00.001", "2028-02-29 12:00:00.000", "2026-01-31 10:00:00.000",
        ].map(Self.at)
        let compared = LockedCounter()
        let statuses = Mutex<Set<String>>([])
        try await Application(router: router).test(.router) { client in
            for instant in instants {
                time.advance(milliseconds: instant - time.now)
                for campaign: Int32? in [nil, 3, 5] {
                    let pacing = try await Self.pacing(client, campaign: campaign)
                    #expect(pacing["at"] as? String == Timestamp.iso8601(instant))
                    statuses.withLock { $0.formUnion((pacing["budgets"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }) }
                    for panel in panels {
                        let sql = Self.budgetSQL(panel, campaign: campaign, at: instant)
                        let rows = try await store.warehouse.database.read { session in try session.query(sql) }
                        let expected = try #require(Self.expectedBudgetRows(for: panel.title, in: pacing))
                        #expect(!expected.isEmpty)
                        #expect(
                            Self.same(rows, expected),
                            "\(panel.title) at \(Timestamp.iso8601(instant)), campaign \(campaign ?? -1): Grafana \(rows) vs API \(expected)")
                        compared.increment()
                    }
                }
            }
        }
        #expect(compared.value == instants.count * 3 * 2)
        #expect(statuses.withLock { $0 } == ["not_started", "ended", "exhausted", "ahead", "behind", "on_track", "open"])
    }

    /// On the real clock: the panels read MariaDB's `UTC_TIMESTAMP(3)`, the API the server's
    /// clock, a few milliseconds apart. The spend counts whole hours, so it must be the same
    /// (read again once should an hour begin between the reads); the linear pace moves with the
    /// clock, so each side's pace must follow from its own expected spend, and the two expected
    /// spends differ by at most what the time between the reads adds.
    @Test func theBudgetPanelsMatchPacingOnTheRealClock() async throws {
        let panels = try Self.budgetPanels()
        let store = try await TestStore(.mysql)
        let now = TestClock.now
        let today = UTCDay(epochMilliseconds: now)
        let hour = now / 3_600_000 * 3_600_000
        try await store.warehouse.upsertJobs([JobRecord(jobID: 7, companyID: 1, groupID: 1, campaignID: 5)])
        let budgets = [
            Budget(scope: .campaign, scopeID: 3, amountMicros: 100_000_000, period: .daily),
            Budget(scope: .job, scopeID: 7, amountMicros: 3_000_000_000, period: .monthly),
            Budget(scope: .campaign, scopeID: 4, amountMicros: 700_000_000, period: .lifetime(from: today.adding(days: -3), through: today.adding(days: 3))),
            Budget(scope: .job, scopeID: 8, amountMicros: 500_000_000, period: .lifetime(from: today.adding(days: 1), through: today.adding(days: 30))),
            Budget(
                scope: .campaign, scopeID: 6, amountMicros: 80_000_000_000, period: .lifetime(from: today.adding(days: -10), through: today.adding(days: -1))),
            Budget(scope: .job, scopeID: 9, amountMicros: 200_000_000, period: .lifetime(from: today.adding(days: -2), through: nil)),
            Budget(scope: .campaign, scopeID: 12, amountMicros: 400_000, period: .daily),
        ]
        for budget in budgets { try await store.warehouse.setBudget(budget) }
        // Spend in the current hour and the 60 before it: nothing in an hour yet to begin.
        for back in Int64(0)...60 {
            let start = Timestamp.sql(hour - back * 3_600_000).prefix(19)
            for (campaign, job, spend) in [(Int32(3), Int32(30), 1.5), (5, 7, 20.25), (4, 40, 9), (80, 8, 3), (6, 60, 2), (90, 9, 0.75), (12, 120, 0.5)] {
                try await BudgetRoutesTests.place(store, hour: String(start), campaign: campaign, job: job, spend: spend * Double(1 + back % 3))
            }
        }
        let router = try JobPulseServer(configuration: ServerConfiguration(), lake: store.lake, warehouse: store.warehouse, pipeline: nil)
            .makeRouter()
        try await Application(router: router).test(.router) { client in
            for attempt in 1...2 {
                let before = TestClock.now
                let pacing = try await Self.pacing(client, campaign: nil)
                var results: [String: [SQLRow]] = [:]
                for panel in panels {
                    let sql = Self.budgetSQL(panel, campaign: nil)
                    results[panel.title] = try await store.warehouse.database.read { session in try session.query(sql) }
                }
                let after = TestClock.now
                if before / 3_600_000 != after / 3_600_000, attempt == 1 { continue }
                #expect(before / 3_600_000 == after / 3_600_000, "an hour began between the reads twice")
                let share = try #require(results["Budget spent this period"])
                #expect(Self.same(share, try #require(Self.expectedBudgetRows(for: "Budget spent this period", in: pacing))))
                let rows = try #require(results["Budget pacing"])
                let expected = try #require(Self.expectedBudgetRows(for: "Budget pacing", in: pacing))
                #expect(rows.count == budgets.count && expected.count == budgets.count)
                for (row, wanted) in zip(rows, expected) {
                    let label = "\(wanted[0]) \(wanted[1])"
                    // scope, scope_id, period, amount, spent, remaining: the same.
                    #expect(
                        Self.same([SQLRow(columns: Array(row.columns.prefix(6)), values: Array(row.values.prefix(6)))], [Array(wanted.prefix(6))]),
                        "\(label): \(row) vs \(wanted)")
                    let amount = (wanted[3] as? NSNumber)?.doubleValue ?? 0, spent = (wanted[4] as? NSNumber)?.doubleValue ?? 0
                    let grafanaExpected = row.values[6].double, apiExpected = (wanted[6] as? NSNumber)?.doubleValue
                    #expect((grafanaExpected == nil) == (apiExpected == nil), "\(label)")
                    if let grafanaExpected, let apiExpected {
                        // Every period here is a day or longer; 1e-6 is the rounding to the millionth.
                        let drift = amount * Double(after - before + 1) / 86_400_000 + 1e-6
                        #expect(abs(grafanaExpected - apiExpected) <= drift, "\(label): \(grafanaExpected) vs \(apiExpected)")
                    }
                    for (pace, expectedSpend) in [(row.values[7].double, grafanaExpected), ((wanted[7] as? NSNumber)?.doubleValue, apiExpected)] {
                        let implied = expectedSpend.flatMap { $0 > 0 ? (spent - $0) * 100 / $0 : nil }
                        #expect((pace == nil) == (implied == nil), "\(label)")
                        if let pace, let implied { #expect(abs(pace - implied) <= 1e-6 * max(1, abs(implied)), "\(label)") }
                    }
                    let grafanaStatus = row.values[8].text, apiStatus = wanted[8] as? String
                    if grafanaStatus != apiStatus {
                        // Only a pace that crossed ±10 % between the reads may tell another status.
                        let paces = [row.values[7].double, (wanted[7] as? NSNumber)?.doubleValue].compactMap { $0 }
                        let crossed = paces.count == 2 && [10.0, -10.0].contains { (paces.min()!...paces.max()!).contains($0) }
                        #expect(crossed, "\(label): Grafana \(grafanaStatus ?? "null") vs API \(apiStatus ?? "null")")
                    }
                }
                #expect(Set(expected.compactMap { $0[8] as? String }).isSuperset(of: ["not_started", "ended", "exhausted", "open"]))
                break
            }
        }
    }

    /// Every `/api` answer for one selection.
    static func api(_ client: some TestClientProtocol, query: String) async throws -> [String: Any] {
        var answers: [String: Any] = [:]
        for endpoint in ["summary", "top-jobs", "hourly", "publishers", "campaigns"] {
            try await client.execute(uri: "/api/\(endpoint)?\(query)", method: .get) { response in
                #expect(response.status == .ok)
                answers[endpoint] = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
            }
        }
        return answers
    }

    /// The API's figure for a panel, as rows of values in the panel's column order.
    static func expected(for title: String, in api: [String: Any]) -> [[Any]]? {
        let summary = api["summary"] as? [String: Any]
        let totals = summary?["totals"] as? [String: Any]
        let gauges = summary?["gauges"] as? [String: Any]
        func rows(_ endpoint: String, _ key: String, _ columns: [String]) -> [[Any]]? {
            ((api[endpoint] as? [String: Any])?[key] as? [[String: Any]])?.map { row in columns.map { row[$0] ?? NSNull() } }
        }
        let breakdown = ["clicks", "spend", "cpc", "conversions", "conversion_rate"]
        switch title {
        case "Jobs with activity": return [[totals?["active_jobs"] ?? NSNull()]]
        case "Clicks": return [[totals?["clicks"] ?? NSNull()]]
        case "Conversions": return [[totals?["conversions"] ?? NSNull()]]
        case "Qualified applications": return [[totals?["qualified_applications"] ?? NSNull()]]
        case "Disqualified applications": return [[totals?["disqualified_applications"] ?? NSNull()]]
        case "Qualified share": return [[gauges?["qualified_share"] ?? NSNull()]]
        case "Disqualified share": return [[gauges?["disqualified_share"] ?? NSNull()]]
        case "Top 10 jobs by clicks": return rows("top-jobs", "jobs", ["job_id", "title", "company_id", "clicks", "spend", "conversions"])
        case "Clicks and spend per hour": return rows("hourly", "points", ["hour", "clicks", "spend"])
        case "Cost per click and conversion rate by publisher": return rows("publishers", "rows", ["publisher_id"] + breakdown)
        case "Cost per click and conversion rate by campaign": return rows("campaigns", "rows", ["campaign_id"] + breakdown)
        default: return nil
        }
    }

    /// Compares SQL results with JSON values: numbers within a relative 1e-9, the hour's
    /// date-time against its ISO form, NULL against null.
    static func same(_ rows: [SQLRow], _ expected: [[Any]]) -> Bool {
        guard rows.count == expected.count else { return false }
        for (row, wanted) in zip(rows, expected) {
            guard row.values.count == wanted.count else { return false }
            for (value, json) in zip(row.values, wanted) {
                switch (value, json) {
                case (.null, is NSNull): continue
                case (.text(let text), let string as String):
                    let iso = text.count >= 19 ? String(text.prefix(10)) + "T" + String(text.dropFirst(11).prefix(8)) + "Z" : text
                    guard text == string || iso == string else { return false }
                case (_, let number as NSNumber):
                    guard let actual = value.double, abs(actual - number.doubleValue) <= 1e-9 * max(1, abs(number.doubleValue)) else { return false }
                default: return false
                }
            }
        }
        return true
    }
}
#endif

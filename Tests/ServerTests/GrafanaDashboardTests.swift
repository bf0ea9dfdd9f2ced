#if MySQL
import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseServer
import JobPulseTestSupport
import JobPulseWarehouse
import MariaDBTestSupport
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
    /// with whole epoch seconds, and `$var` becomes the variable's value (`-1` for All).
    static func substitute(_ sql: String, from: Int64, to: Int64, publisher: Int32?, campaign: Int32?) -> String {
        var text = sql
        while let macro = text.firstRange(of: "$__timeFilter(") {
            let close = text[macro.upperBound...].firstIndex(of: ")")!
            let column = text[macro.upperBound..<close]
            text.replaceSubrange(macro.lowerBound...close, with: "\(column) BETWEEN FROM_UNIXTIME(\(from)) AND FROM_UNIXTIME(\(to))")
        }
        return text.replacingOccurrences(of: "$publisher", with: String(publisher ?? -1))
            .replacingOccurrences(of: "$campaign", with: String(campaign ?? -1))
    }

    @Test func everyPanelMatchesTheBuiltInAPI() async throws {
        let panels = try Self.panels()
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
        let ranges: [(Int64, Int64)] = [
            (nowSeconds - 86_400, nowSeconds), (nowSeconds - 3 * 86_400, nowSeconds - 86_400 - 1_800),
            (nowSeconds - 7_200, nowSeconds + 3_600), (1_000_000_000, 2_000_000_000),
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

import Foundation
import Hummingbird
import HummingbirdTesting
import JobPulseClock
import JobPulseCore
import JobPulseServer
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The budget API over HTTP: `/api/budgets` (list, set, remove), `/api/pacing` and `/api/advice`,
/// their answers read as JSON, their errors, and the API keys that guard the writes.
@Suite(.mariaDBWhenBuilt) struct BudgetRoutesTests {
    static let json: HTTPFields = [.contentType: "application/json"]
    /// 2026-11-16T12:00:00Z: the middle of November's 16th day.
    static let noon = at("2026-11-16 12:00:00")

    static func at(_ text: String) -> Int64 { try! EventTime.parse(text).get() }

    func withServer(
        _ backend: Backend = .sqlite, _ configuration: ServerConfiguration = ServerConfiguration(), clock: WallClock = .system,
        _ body: @escaping @Sendable (any TestClientProtocol, TestStore) async throws -> Void
    ) async throws {
        let store = try await TestStore(backend)
        let server = JobPulseServer(configuration: configuration, lake: store.lake, warehouse: store.warehouse, pipeline: nil, clock: clock)
        try await Application(router: try server.makeRouter()).test(.router) { client in try await body(client, store) }
        try await store.warehouse.close()
    }

    /// A request's answer: its status, headers and body, the body read as a JSON object.
    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
        var object: [String: Any] { jsonObject(text) }
        /// The message of an error answer, `{"error":{"message":…}}`.
        var message: String? { object.member("error")["message"] as? String }
    }

    static func call(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, body: String? = nil, headers: HTTPFields = json
    ) async throws -> Answer {
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return Answer(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    /// A number of a JSON answer, whether it was written as an integer or not.
    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    /// Equal within a relative 1e-12: figures the server computes in floating point.
    static func close(_ value: Any?, _ expected: Double) -> Bool {
        guard let actual = number(value) else { return false }
        return abs(actual - expected) <= 1e-12 * max(1, abs(expected))
    }

    static let budgetKeys: Set<String> = ["scope", "scope_id", "amount", "period", "starts_on", "ends_on", "currency", "origin"]

    /// Spend (and funnel counts) placed straight into the warehouse: one `events` row for the hour
    /// that starts at `hour` (`YYYY-MM-DD HH:00:00`).
    static func place(
        _ store: TestStore, hour: String, campaign: Int32, job: Int32, publisher: Int32 = 1, spend: Double, clicks: Int64 = 0,
        conversions: Int64 = 0, qualified: Int64 = 0, disqualified: Int64 = 0
    ) async throws {
        let micros = Int64((spend * 1_000_000).rounded())
        let values: [SQLValue] = [
            .int(Int64(job)), .text(String(hour.prefix(10))), .int(Int64(hour.dropFirst(11).prefix(2))!), .text(hour), .int(Int64(campaign)),
            .int(Int64(publisher)), .int(clicks), .int(conversions), .int(qualified), .int(disqualified), .int(micros),
            .double(Double(micros) / 1_000_000), .text(hour),
        ]
        _ = try await store.warehouse.database.write { session in
            try session.execute(
                """
                INSERT INTO events (job_id, dates, hours, hour_start, group_id, campaign_id, publisher_id, clicks, conversion,
                                    qualified_application, disqualified_application, spend_micros, spend_hour, bid_set, sources, updated_at)
                VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'test', ?)
                """, values)
        }
    }

    // MARK: - /api/budgets

    @Test(arguments: Backend.allCases)
    func putCreatesAndReplacesABudgetThatTheListShows(_ backend: Backend) async throws {
        try await withServer(backend) { client, store in
            try await store.warehouse.upsertJobs([
                JobRecord(jobID: 7, companyID: 1, groupID: 1, campaignID: 3), JobRecord(jobID: 8, companyID: 1, groupID: 1, campaignID: 4),
            ])
            let created = try await Self.call(client, .put, "/api/budgets/campaign/3", body: #"{"amount": 500, "period": "daily", "currency": "usd"}"#)
            #expect(created.status == .ok)
            let entry = created.object
            #expect(Set(entry.keys) == Self.budgetKeys)
            #expect(entry["scope"] as? String == "campaign" && Self.number(entry["scope_id"]) == 3)
            #expect(Self.number(entry["amount"]) == 500 && entry["period"] as? String == "daily")
            #expect(entry["starts_on"] is NSNull && entry["ends_on"] is NSNull, "null, not left out")
            #expect(entry["currency"] as? String == "USD" && entry["origin"] as? String == "manual")

            let lifetime = try await Self.call(
                client, .put, "/api/budgets/job/7", body: #"{"amount": "1250.75", "period": "lifetime", "starts_on": "2026-12-01", "ends_on": "2026-12-31"}"#)
            #expect(lifetime.status == .ok)
            #expect(lifetime.object["starts_on"] as? String == "2026-12-01" && lifetime.object["ends_on"] as? String == "2026-12-31")
            #expect(lifetime.object["currency"] is NSNull)
            let open = try await Self.call(client, .put, "/api/budgets/job/8", body: #"{"amount": 0.000001, "period": "lifetime", "starts_on": "2026-11-01"}"#)
            #expect(open.status == .ok && Self.number(open.object["amount"]) == 0.000001 && open.object["ends_on"] is NSNull)
            let replaced = try await Self.call(client, .put, "/api/budgets/campaign/3", body: #"{"amount": 12000.5, "period": "monthly"}"#)
            #expect(replaced.status == .ok && Self.number(replaced.object["amount"]) == 12_000.5)

            let all = try await Self.call(client, .get, "/api/budgets")
            #expect(all.status == .ok && Set(all.object.keys) == ["budgets"])
            let budgets = try #require(all.object["budgets"] as? [[String: Any]])
            #expect(budgets.map { "\($0["scope"]!) \($0["scope_id"]!)" } == ["campaign 3", "job 7", "job 8"], "one budget per scope, in order")
            #expect(budgets.allSatisfy { Set($0.keys) == Self.budgetKeys })
            #expect(budgets[0]["period"] as? String == "monthly" && Self.number(budgets[0]["amount"]) == 12_000.5)
            #expect(budgets[0]["currency"] is NSNull, "the replacement has no currency: nothing of the first budget remains")
            #expect(Self.number(budgets[1]["amount"]) == 1250.75 && budgets[1]["starts_on"] as? String == "2026-12-01")

            for (campaign, expected) in [("3", ["campaign 3", "job 7"]), ("4", ["job 8"]), ("99", []), ("", ["campaign 3", "job 7", "job 8"])] {
                let filtered = try await Self.call(client, .get, "/api/budgets?campaign_id=\(campaign)")
                let rows = try #require(filtered.object["budgets"] as? [[String: Any]])
                #expect(rows.map { "\($0["scope"]!) \($0["scope_id"]!)" } == expected, "campaign_id=\(campaign)")
            }
            let bad = try await Self.call(client, .get, "/api/budgets?campaign_id=x")
            #expect(bad.status == .badRequest && bad.message == #"campaign_id must be an integer from 0 to 2147483647; got "x""#)
        }
    }

    @Test func deleteAnswers204ThenNotFound() async throws {
        try await withServer { client, _ in
            #expect(try await Self.call(client, .put, "/api/budgets/job/7", body: #"{"amount": 10, "period": "daily"}"#).status == .ok)
            let removed = try await Self.call(client, .delete, "/api/budgets/job/7")
            #expect(removed.status == .noContent && removed.text.isEmpty)
            let again = try await Self.call(client, .delete, "/api/budgets/job/7")
            #expect(again.status == .notFound && again.message == "job 7 has no budget")
            let list = try await Self.call(client, .get, "/api/budgets")
            #expect((list.object["budgets"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func apiKeysGuardTheWritesButNotTheReads() async throws {
        try await withServer(.sqlite, ServerConfiguration(apiKeys: ["k-1", "k-2"])) { client, store in
            let body = #"{"amount": 10, "period": "daily"}"#
            for headers: HTTPFields in [Self.json, [.contentType: "application/json", .authorization: "Bearer wrong"]] {
                for method: HTTPRequest.Method in [.put, .delete] {
                    let refused = try await Self.call(client, method, "/api/budgets/campaign/1", body: method == .put ? body : nil, headers: headers)
                    #expect(refused.status == .unauthorized, "\(method) \(headers)")
                    #expect(refused.headers[.wwwAuthenticate] == #"Bearer realm="jobpulse""#)
                    #expect(refused.message == "a valid API key is required (Authorization: Bearer <key>)")
                }
            }
            // The key is checked before the path: an unknown scope without a key is 401 too.
            #expect(try await Self.call(client, .put, "/api/budgets/company/1", body: body).status == .unauthorized)
            #expect(try await store.warehouse.budgets(campaignID: nil).isEmpty)
            for read in ["/api/budgets", "/api/pacing", "/api/advice?campaign_id=1"] {
                #expect(try await Self.call(client, .get, read).status == .ok, "\(read) needs no key")
            }
            let key: HTTPFields = [.contentType: "application/json", .authorization: "Bearer k-2"]
            #expect(try await Self.call(client, .put, "/api/budgets/campaign/1", body: body, headers: key).status == .ok)
            #expect(try await store.warehouse.budgets(campaignID: nil).count == 1)
            #expect(try await Self.call(client, .delete, "/api/budgets/campaign/1", headers: key).status == .noContent)
        }
    }

    /// The reads sit behind the dashboard's login when one is set, the writes behind the API keys only.
    @Test func theReadsFollowTheDashboardLogin() async throws {
        let configuration = ServerConfiguration(dashboardCredentials: (user: "ann", password: "secret"))
        let login: HTTPFields = [.authorization: "Basic YW5uOnNlY3JldA=="]  // ann:secret
        try await withServer(.sqlite, configuration) { client, _ in
            for read in ["/api/budgets", "/api/pacing", "/api/advice?job_id=1"] {
                let refused = try await Self.call(client, .get, read)
                #expect(refused.status == .unauthorized && refused.message == "sign in to see the dashboard", "\(read)")
                let answered = try await Self.call(client, .get, read, headers: login)
                #expect(answered.status == .ok, "\(read)")
            }
            let set = try await Self.call(client, .put, "/api/budgets/job/1", body: #"{"amount": 1, "period": "daily"}"#)
            #expect(set.status == .ok, "no login needed")
        }
    }

    /// Every unusable body is a 400 whose message names what is wrong, and nothing is stored.
    @Test func badBodiesAre400NamingTheField() async throws {
        try await withServer { client, store in
            let cases: [(String, String)] = [
                (#"{"amount": -5, "period": "daily"}"#, #"amount must be a positive number with at most 6 decimals, below 10^12; got "-5""#),
                (#"{"amount": 0, "period": "daily"}"#, #"amount must be a positive number"#),
                (#"{"amount": 1.1234567, "period": "daily"}"#, #"amount must be a positive number with at most 6 decimals, below 10^12; got "1.1234567""#),
                (#"{"amount": 1000000000000, "period": "daily"}"#, "below 10^12"),
                (#"{"amount": "12,5", "period": "daily"}"#, #"amount must be a positive number with at most 6 decimals, below 10^12; got "12,5""#),
                (#"{"amount": true, "period": "daily"}"#, "the body must be a JSON object with amount and period: amount has the wrong type"),
                (#"{"period": "daily"}"#, "the body must be a JSON object with amount and period: amount is missing"),
                (#"{"amount": 5}"#, "the body must be a JSON object with amount and period: period is missing"),
                (#"{"amount": 5, "period": 1}"#, "the body must be a JSON object with amount and period: period has the wrong type"),
                (#"{"amount": 5, "period": "weekly"}"#, #"period must be daily, monthly or lifetime; got "weekly""#),
                (#"{"amount": 5, "period": "lifetime"}"#, "a lifetime budget needs starts_on (YYYY-MM-DD)"),
                (#"{"amount": 5, "period": "lifetime", "ends_on": "2026-12-31"}"#, "a lifetime budget needs starts_on (YYYY-MM-DD)"),
                (#"{"amount": 5, "period": "lifetime", "starts_on": "2026-02-30"}"#, #"starts_on must be a date YYYY-MM-DD; got "2026-02-30""#),
                (
                    #"{"amount": 5, "period": "lifetime", "starts_on": "2026-12-01", "ends_on": "31.12.2026"}"#,
                    #"ends_on must be a date YYYY-MM-DD; got "31.12.2026""#
                ),
                (#"{"amount": 5, "period": "lifetime", "starts_on": "2026-12-10", "ends_on": "2026-12-01"}"#, "ends_on is before starts_on"),
                (#"{"amount": 5, "period": "daily", "starts_on": "2026-12-01"}"#, "starts_on and ends_on belong to lifetime budgets only"),
                (#"{"amount": 5, "period": "daily", "currency": "US$"}"#, #"currency must be 1 to 8 letters (USD, EUR…); got "US$""#),
                (#"{"amount": 5, "period": "daily", "currency": ""}"#, "currency must be 1 to 8 letters"),
                (#"{"amount": 5, "period": "daily", "currency": 840}"#, "currency has the wrong type"),
                ("amount=5&period=daily", "the body must be a JSON object with amount and period: it is not readable JSON"),
                ("", "the body must be a JSON object with amount and period: it is not readable JSON"),
                (#"{"amount": 5, "period": "daily""#, "it is not readable JSON"),
                (#"[{"amount": 5, "period": "daily"}]"#, "the body must be a JSON object with amount and period: it is not a JSON object"),
                ("null", "the body must be a JSON object with amount and period: it is not a JSON object"),
            ]
            for (body, message) in cases {
                let answer = try await Self.call(client, .put, "/api/budgets/campaign/3", body: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.message?.contains(message) == true, "\(body): \(answer.message ?? answer.text)")
            }
            #expect(try await store.warehouse.budgets(campaignID: nil).isEmpty)
        }
    }

    /// A body past the limit (16 KiB) is refused as the collector refuses one: 413 with a message.
    @Test func oversizedBodiesAre413() async throws {
        try await withServer { client, store in
            let padding = String(repeating: " ", count: 16 << 10)
            let answer = try await Self.call(client, .put, "/api/budgets/campaign/3", body: #"{"amount": 5, "period": "daily"}"# + padding)
            #expect(answer.status == .contentTooLarge)
            #expect(answer.message == "the body is larger than the limit of 16384 bytes")
            #expect(try await store.warehouse.budgets(campaignID: nil).isEmpty)
            let fits = String(repeating: " ", count: (16 << 10) - 40)
            #expect(try await Self.call(client, .put, "/api/budgets/campaign/3", body: #"{"amount": 5, "period": "daily"}"# + fits).status == .ok)
        }
    }

    @Test func unknownScopesAre404AndBadIds400() async throws {
        try await withServer { client, _ in
            let body = #"{"amount": 5, "period": "daily"}"#
            for method: HTTPRequest.Method in [.put, .delete] {
                let unknown = try await Self.call(client, method, "/api/budgets/company/3", body: method == .put ? body : nil)
                #expect(unknown.status == .notFound, "\(method)")
                #expect(unknown.message == "a budget belongs to a campaign or a job: /api/budgets/campaign/{id} or /api/budgets/job/{id}")
                for id in ["x", "-1", "2147483648", "+5", "1.5"] {
                    let bad = try await Self.call(client, method, "/api/budgets/job/\(id)", body: method == .put ? body : nil)
                    #expect(bad.status == .badRequest, "\(method) \(id)")
                    #expect(bad.message == "the job id must be an integer from 0 to 2147483647; got \"\(id)\"")
                }
            }
            #expect(try await Self.call(client, .put, "/api/budgets/job/2147483647", body: body).status == .ok)
            #expect(try await Self.call(client, .put, "/api/budgets/job/0", body: body).status == .ok)
            #expect(try await Self.call(client, .get, "/api/budgets/job/0").status == .notFound, "no route reads one budget")
        }
    }

    // MARK: - /api/pacing

    static let pacingKeys: Set<String> = [
        "budget", "period_start", "period_end", "spent", "remaining", "elapsed_share", "expected_spend", "pace_percent",
        "average_daily_spend", "burn_rate_per_day", "runs_out_at", "status",
    ]

    /// At 2026-11-16 12:00, six budgets in every state, their spend placed by hand around their
    /// periods' edges; every figure below is worked out in its comment.
    @Test(arguments: Backend.allCases)
    func pacingFiguresWorkedByHand(_ backend: Backend) async throws {
        let time = ManualWallClock(Self.noon)
        try await withServer(backend, clock: time.wallClock) { client, store in
            let w = store.warehouse
            try await w.upsertJobs([JobRecord(jobID: 7, companyID: 1, groupID: 1, campaignID: 5)])
            try await w.setBudget(Budget(scope: .campaign, scopeID: 3, amountMicros: 100_000_000, period: .daily, currency: "EUR"))
            try await w.setBudget(Budget(scope: .job, scopeID: 7, amountMicros: 3_000_000_000, period: .monthly))
            let november = BudgetPeriod.lifetime(from: UTCDay("2026-11-01")!, through: UTCDay("2026-11-10")!)
            try await w.setBudget(Budget(scope: .campaign, scopeID: 4, amountMicros: 1_000_000_000, period: november))
            let december = BudgetPeriod.lifetime(from: UTCDay("2026-12-01")!, through: UTCDay("2026-12-31")!)
            try await w.setBudget(Budget(scope: .job, scopeID: 8, amountMicros: 500_000_000, period: december))
            try await w.setBudget(Budget(scope: .campaign, scopeID: 6, amountMicros: 20_000_000, period: .daily))
            try await w.setBudget(Budget(scope: .job, scopeID: 9, amountMicros: 200_000_000, period: .lifetime(from: UTCDay("2026-11-14")!, through: nil)))
            // Campaign 3, daily 100: today's hours that have started, 02:00, 11:00 and 12:00 (now).
            for (hour, spend) in [
                ("2026-11-15 23:00:00", 40.0), ("2026-11-16 02:00:00", 10), ("2026-11-16 11:00:00", 10), ("2026-11-16 12:00:00", 5),
                ("2026-11-16 13:00:00", 50),
            ] {
                try await Self.place(store, hour: hour, campaign: 3, job: 30, spend: spend)
            }
            // Job 7, monthly 3,000: November's hours; 15 Nov 12:00 is exactly 24 hours ago, outside the burn window.
            for (hour, spend) in [("2026-10-31 23:00:00", 500.0), ("2026-11-01 00:00:00", 1190), ("2026-11-15 12:00:00", 100), ("2026-11-16 03:00:00", 570)] {
                try await Self.place(store, hour: hour, campaign: 5, job: 7, spend: spend)
            }
            // Campaign 4, 1,000 from 1 through 10 November: ended; 11 Nov 00:00 is after it.
            try await Self.place(store, hour: "2026-11-05 10:00:00", campaign: 4, job: 40, spend: 900)
            try await Self.place(store, hour: "2026-11-11 00:00:00", campaign: 4, job: 40, spend: 50)
            // Job 8, 500 in December: not started, today's spend is before it.
            try await Self.place(store, hour: "2026-11-16 05:00:00", campaign: 80, job: 8, spend: 30)
            // Campaign 6, daily 20: 30 spent today.
            try await Self.place(store, hour: "2026-11-16 08:00:00", campaign: 6, job: 60, spend: 30)
            // Job 9, 200 from 14 November without an end; the hour that starts now counts.
            for (hour, spend) in [("2026-11-13 23:00:00", 99.0), ("2026-11-14 05:00:00", 30), ("2026-11-16 06:00:00", 10), ("2026-11-16 12:00:00", 10)] {
                try await Self.place(store, hour: hour, campaign: 90, job: 9, spend: spend)
            }

            let answer = try await Self.call(client, .get, "/api/pacing")
            #expect(answer.status == .ok && Set(answer.object.keys) == ["at", "budgets"])
            #expect(answer.object["at"] as? String == "2026-11-16T12:00:00.000Z")
            let entries = try #require(answer.object["budgets"] as? [[String: Any]])
            #expect(entries.allSatisfy { Set($0.keys) == Self.pacingKeys && Set(($0["budget"] as? [String: Any] ?? [:]).keys) == Self.budgetKeys })
            var byBudget: [String: [String: Any]] = [:]
            for entry in entries {
                let budget = entry["budget"] as? [String: Any] ?? [:]
                byBudget["\(budget["scope"]!) \(budget["scope_id"]!)"] = entry
            }
            #expect(entries.count == 6 && byBudget.count == 6)

            // 25 of 100 spent at half the day: 50 expected, 50 % behind; 50 a day, 75 left lasts 1.5 days.
            let daily = try #require(byBudget["campaign 3"])
            #expect((daily["budget"] as? [String: Any])?["currency"] as? String == "EUR")
            #expect(daily["period_start"] as? String == "2026-11-16T00:00:00.000Z" && daily["period_end"] as? String == "2026-11-17T00:00:00.000Z")
            #expect(Self.close(daily["spent"], 25) && Self.close(daily["remaining"], 75))
            #expect(Self.close(daily["elapsed_share"], 0.5) && Self.close(daily["expected_spend"], 50) && Self.close(daily["pace_percent"], -50))
            #expect(Self.close(daily["average_daily_spend"], 50) && Self.close(daily["burn_rate_per_day"], 50))
            #expect(daily["runs_out_at"] as? String == "2026-11-18T00:00:00.000Z" && daily["status"] as? String == "behind")

            // 1,860 of 3,000 at 15.5 of 30 days: 1,550 expected, 20 % ahead; 120 a day on average;
            // the last 24 hours spent 570, so the 1,140 left last 2 days.
            let monthly = try #require(byBudget["job 7"])
            #expect(monthly["period_start"] as? String == "2026-11-01T00:00:00.000Z" && monthly["period_end"] as? String == "2026-12-01T00:00:00.000Z")
            #expect(Self.close(monthly["spent"], 1860) && Self.close(monthly["remaining"], 1140))
            #expect(Self.close(monthly["elapsed_share"], 15.5 / 30) && Self.close(monthly["expected_spend"], 1550) && Self.close(monthly["pace_percent"], 20))
            #expect(Self.close(monthly["average_daily_spend"], 120) && Self.close(monthly["burn_rate_per_day"], 570))
            #expect(monthly["runs_out_at"] as? String == "2026-11-18T12:00:00.000Z" && monthly["status"] as? String == "ahead")

            // 900 of 1,000 over its 10 days: 90 a day, 10 % behind at the end; nothing spent lately.
            let ended = try #require(byBudget["campaign 4"])
            #expect(ended["period_start"] as? String == "2026-11-01T00:00:00.000Z" && ended["period_end"] as? String == "2026-11-11T00:00:00.000Z")
            #expect(Self.close(ended["spent"], 900) && Self.close(ended["remaining"], 100))
            #expect(Self.close(ended["elapsed_share"], 1) && Self.close(ended["expected_spend"], 1000) && Self.close(ended["pace_percent"], -10))
            #expect(Self.close(ended["average_daily_spend"], 90) && Self.close(ended["burn_rate_per_day"], 0))
            #expect(ended["runs_out_at"] is NSNull && ended["status"] as? String == "ended")

            let later = try #require(byBudget["job 8"])
            #expect(later["period_start"] as? String == "2026-12-01T00:00:00.000Z" && later["period_end"] as? String == "2027-01-01T00:00:00.000Z")
            #expect(Self.close(later["spent"], 0) && Self.close(later["remaining"], 500))
            #expect(Self.close(later["elapsed_share"], 0) && Self.close(later["expected_spend"], 0) && later["pace_percent"] is NSNull)
            #expect(later["average_daily_spend"] is NSNull && later["burn_rate_per_day"] is NSNull && later["runs_out_at"] is NSNull)
            #expect(later["status"] as? String == "not_started")

            // 30 of 20: nothing remains; 10 expected at noon, so 200 % ahead.
            let exhausted = try #require(byBudget["campaign 6"])
            #expect(Self.close(exhausted["spent"], 30) && Self.close(exhausted["remaining"], 0) && Self.close(exhausted["pace_percent"], 200))
            #expect(exhausted["runs_out_at"] is NSNull && exhausted["status"] as? String == "exhausted")

            // 50 of 200 in 2.5 days: 20 a day, and 20 in the last 24 hours: 150 left last 7.5 days.
            let open = try #require(byBudget["job 9"])
            #expect(open["period_start"] as? String == "2026-11-14T00:00:00.000Z" && open["period_end"] is NSNull)
            #expect(Self.close(open["spent"], 50) && Self.close(open["remaining"], 150))
            #expect(open["elapsed_share"] is NSNull && open["expected_spend"] is NSNull && open["pace_percent"] is NSNull)
            #expect(Self.close(open["average_daily_spend"], 20) && Self.close(open["burn_rate_per_day"], 20))
            #expect(open["runs_out_at"] as? String == "2026-11-24T00:00:00.000Z" && open["status"] as? String == "open")

            // A campaign's pacing is its own budget and its jobs'.
            let ofCampaign5 = try await Self.call(client, .get, "/api/pacing?campaign_id=5")
            #expect((ofCampaign5.object["budgets"] as? [[String: Any]])?.map { ($0["budget"] as? [String: Any])?["scope_id"] as? Int } == [7])
            #expect(try await Self.call(client, .get, "/api/pacing?campaign_id=-1").status == .badRequest)

            // An hour later the 13:00 hour has started: campaign 3 has spent 75 at 13/24 of the day.
            time.advance(seconds: 3_600)
            let after = try await Self.call(client, .get, "/api/pacing?campaign_id=3")
            let next = try #require((after.object["budgets"] as? [[String: Any]])?.first)
            #expect(Self.close(next["spent"], 75) && Self.close(next["expected_spend"], 54.166667))
            #expect(Self.close(next["pace_percent"], (75_000_000.0 - 54_166_667) * 100 / 54_166_667) && next["status"] as? String == "ahead")
        }
    }

    /// A budget as large as allowed with a little spend lasts past any date the API can write:
    /// no time when it runs out, and no failure.
    @Test func aBudgetThatOutlastsTheCalendarHasNoRunOutTime() async throws {
        let time = ManualWallClock(Self.noon)
        try await withServer(.sqlite, clock: time.wallClock) { client, store in
            let body = #"{"amount": "999999999999.999999", "period": "lifetime", "starts_on": "1970-01-01", "ends_on": "9999-12-31"}"#
            #expect(try await Self.call(client, .put, "/api/budgets/campaign/3", body: body).status == .ok)
            try await Self.place(store, hour: "2026-11-16 11:00:00", campaign: 3, job: 1, spend: 0.000001)
            let answer = try await Self.call(client, .get, "/api/pacing")
            #expect(answer.status == .ok)
            let entry = try #require((answer.object["budgets"] as? [[String: Any]])?.first)
            #expect(entry["period_end"] as? String == "10000-01-01T00:00:00.000Z", "the instant after 9999-12-31")
            #expect(Self.close(entry["burn_rate_per_day"], 0.000001) && entry["runs_out_at"] is NSNull)
        }
    }

    // MARK: - /api/advice

    static let adviceKeys: Set<String> = [
        "publisher_id", "clicks", "spend", "cpc", "conversions", "cost_per_conversion", "qualified_applications", "disqualified_applications",
        "qualified_share", "cost_per_qualified_application", "recommendation", "probability", "reference_cost_per_qualified_application",
        "evidence",
    ]

    @Test func adviceNeedsExactlyOneOfCampaignAndJob() async throws {
        try await withServer { client, _ in
            for query in ["", "?campaign_id=3&job_id=7", "?campaign_id=&job_id=", "?from=2026-11-01T00:00:00Z"] {
                let answer = try await Self.call(client, .get, "/api/advice\(query)")
                #expect(answer.status == .badRequest && answer.message == "give exactly one of campaign_id and job_id", "\(query)")
            }
            for (query, message) in [
                ("?campaign_id=x", #"campaign_id must be an integer from 0 to 2147483647; got "x""#),
                ("?job_id=-3", #"job_id must be an integer from 0 to 2147483647; got "-3""#),
                ("?job_id=3&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from is after to"),
                ("?job_id=3&to=soon", "to: "),
            ] {
                let answer = try await Self.call(client, .get, "/api/advice\(query)")
                #expect(answer.status == .badRequest && answer.message?.hasPrefix(message) == true, "\(query): \(answer.text)")
            }
        }
    }

    /// Three publishers of campaign 3 over the last 7 days: one with too few clicks, one whose
    /// clicks never convert, one to keep; rows outside the window or of another campaign do not count.
    @Test func adviceHasOneRowPerPublisher() async throws {
        let time = ManualWallClock(Self.noon)
        try await withServer(.sqlite, clock: time.wallClock) { client, store in
            try await Self.place(
                store, hour: "2026-11-15 10:00:00", campaign: 3, job: 7, publisher: 1, spend: 150, clicks: 300, conversions: 30, qualified: 30, disqualified: 10
            )
            try await Self.place(store, hour: "2026-11-14 10:00:00", campaign: 3, job: 8, publisher: 2, spend: 10, clicks: 20, conversions: 1)
            try await Self.place(store, hour: "2026-11-16 09:00:00", campaign: 3, job: 7, publisher: 3, spend: 100, clicks: 100)
            try await Self.place(store, hour: "2026-11-09 11:00:00", campaign: 3, job: 7, publisher: 3, spend: 999, clicks: 999, conversions: 999)
            try await Self.place(store, hour: "2026-11-16 09:00:00", campaign: 4, job: 9, publisher: 3, spend: 5, clicks: 5, conversions: 5)

            let answer = try await Self.call(client, .get, "/api/advice?campaign_id=3")
            #expect(answer.status == .ok)
            let object = answer.object
            #expect(Set(object.keys) == ["scope", "scope_id", "from", "to", "rules", "publishers"])
            #expect(object["scope"] as? String == "campaign" && Self.number(object["scope_id"]) == 3)
            #expect(object["from"] as? String == "2026-11-09T12:00:00.000Z" && object["to"] as? String == "2026-11-16T12:00:00.000Z")
            let rules = object.member("rules")
            #expect(Self.number(rules["minimum_clicks"]) == 30 && Self.number(rules["significance"]) == 0.05)
            #expect(Self.number(rules["cost_ratio"]) == 1.5 && Self.number(rules["minimum_qualified_elsewhere"]) == 5)
            let rows = try #require(object["publishers"] as? [[String: Any]])
            #expect(rows.allSatisfy { Set($0.keys) == Self.adviceKeys })
            var byPublisher: [Int: [String: Any]] = [:]
            for row in rows { byPublisher[row["publisher_id"] as? Int ?? -1] = row }
            #expect(rows.count == 3 && Set(byPublisher.keys) == [1, 2, 3])

            let kept = try #require(byPublisher[1])
            #expect(Self.number(kept["clicks"]) == 300 && Self.close(kept["spend"], 150) && Self.close(kept["cpc"], 0.5))
            #expect(Self.number(kept["conversions"]) == 30 && Self.close(kept["cost_per_conversion"], 5))
            #expect(Self.number(kept["qualified_applications"]) == 30 && Self.number(kept["disqualified_applications"]) == 10)
            #expect(Self.close(kept["qualified_share"], 0.75) && Self.close(kept["cost_per_qualified_application"], 5))
            #expect(kept["recommendation"] as? String == "keep" && kept["probability"] is NSNull)
            #expect(kept["reference_cost_per_qualified_application"] is NSNull)
            #expect((kept["evidence"] as? String)?.hasPrefix("the other publishers with enough clicks have 0 qualified applications") == true)

            let few = try #require(byPublisher[2])
            #expect(few["recommendation"] as? String == "insufficient_data" && few["evidence"] as? String == "20 clicks; advice needs at least 30")
            #expect(few["qualified_share"] is NSNull && few["cost_per_qualified_application"] is NSNull)

            // The campaign converts 31 of 420 clicks; 100 clicks without one: (1 − 31/420)^100.
            let paused = try #require(byPublisher[3])
            #expect(Self.number(paused["clicks"]) == 100 && Self.number(paused["conversions"]) == 0 && paused["cost_per_conversion"] is NSNull)
            #expect(paused["recommendation"] as? String == "pause")
            let chance: Double = pow(1 - 31.0 / 420.0, 100.0)
            #expect(abs((Self.number(paused["probability"]) ?? 0) - chance) < 1e-12)

            // A job's advice, over a window given: job 8's one publisher.
            let job = try await Self.call(client, .get, "/api/advice?job_id=8&from=2026-11-14T00:00:00Z&to=2026-11-14T23:00:00Z")
            #expect(job.object["scope"] as? String == "job" && job.object["from"] as? String == "2026-11-14T00:00:00.000Z")
            #expect((job.object["publishers"] as? [[String: Any]])?.map { $0["publisher_id"] as? Int } == [2])
            let none = try await Self.call(client, .get, "/api/advice?job_id=8&to=2026-11-01T00:00:00Z")
            #expect((none.object["publishers"] as? [Any])?.isEmpty == true)
        }
    }

    /// Publishers whose clicks cost nothing (bids of 0) give no cost to compare with: the advice
    /// still answers.
    @Test func adviceWhenTheOtherPublishersSpentNothing() async throws {
        let time = ManualWallClock(Self.noon)
        try await withServer(.sqlite, clock: time.wallClock) { client, store in
            try await Self.place(store, hour: "2026-11-16 09:00:00", campaign: 3, job: 7, publisher: 1, spend: 0, clicks: 100, conversions: 5, qualified: 10)
            try await Self.place(store, hour: "2026-11-16 09:00:00", campaign: 3, job: 7, publisher: 2, spend: 50, clicks: 100, conversions: 5, qualified: 2)
            let answer = try await Self.call(client, .get, "/api/advice?campaign_id=3")
            #expect(answer.status == .ok)
            let rows = try #require(answer.object["publishers"] as? [[String: Any]])
            let paid = try #require(rows.first { $0["publisher_id"] as? Int == 2 })
            #expect(paid["recommendation"] as? String == "keep" && Self.close(paid["reference_cost_per_qualified_application"], 0))
            #expect(paid["evidence"] as? String == "the other publishers' 10 qualified applications cost nothing; there is no cost to compare with")
            let free = try #require(rows.first { $0["publisher_id"] as? Int == 1 })
            #expect(free["recommendation"] as? String == "keep" && Self.close(free["cost_per_qualified_application"], 0))
        }
    }
}

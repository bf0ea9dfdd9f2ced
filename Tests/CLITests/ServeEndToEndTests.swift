import Foundation
import JobPulseCore
import JobPulseTestSupport
import Testing

/// A known set of events, posted to a real `jobpulse serve`, and every dashboard figure checked
/// against the answer worked out by hand. Then the page itself, in headless Chromium.
@Suite(.serialized) struct ServeEndToEndTests {
    /// Ten events over two days, two jobs, two publishers plus one unattributed, two campaigns:
    /// 5 clicks (spend 5.25), 1 conversion, 2 qualified, 1 disqualified, 1 other, 1 rejected.
    static let events = """
        [
          {"ts":"2026-11-27 10:05:00","custom_track":"click","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3","bid":"0.50"},
          {"ts":"2026-11-27 10:30:00","custom_track":"click","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3","bid":"1.50"},
          {"ts":"2026-11-27T11:00:00Z","ed":"{\\"customEvent\\":\\"click\\",\\"jobId\\":\\"502\\",\\"publisherId\\":\\"2\\",\\"campaignId\\":11}","bid":"2.00"},
          {"ts":"2026-11-27 11:20:00","custom_track":"click","job_id":"502","publisher_id":"2","campaign_id":"11","bid":"0.25"},
          {"ts":"2026-11-27 11:10:00","ed":{"customEvent":"click","jobId":502,"publisherId":"1,2","campaignId":"11"},"bid":"1.00"},
          {"ts":"2026-11-27 10:45:00","custom_track":"conversion","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3"},
          {"ts":"2026-11-28 09:00:00","custom_track":"qualified","job_id":"502","publisher_id":"2","campaign_id":"11"},
          {"ts":"2026-11-28 09:10:00","custom_track":"unqualified","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3"},
          {"ts":"1795857600000","custom_track":"qualified","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3"},
          {"ts":"2026-11-28 09:30:00","custom_track":"alive","job_id":"501"},
          {"ts":"28/11/2026","custom_track":"click","job_id":"501"}
        ]
        """

    func startServer(_ directory: TemporaryDirectory) async throws -> ServerProcess {
        let jobs = directory.file("job.csv")
        var first = Array(repeating: "", count: 30), second = first
        first[0] = "501"
        first[6] = "Night Nurse, \"ICU\""
        first[27] = "7"
        second[0] = "502"
        second[6] = "Forklift Operator"
        second[27] = "8"
        try ([JobRecord.columns, first, second].map(CSVWriter.line).joined(separator: "\n") + "\n")
            .write(toFile: jobs, atomically: true, encoding: .utf8)
        #expect(try await runJobPulse(["import-jobs", jobs, "--data-dir", directory.path]).status == 0)
        return try await ServerProcess(arguments: ["--data-dir", directory.path, "--interval", "0.2"], logPath: directory.file("serve.log"))
    }

    func waitForCommit(_ server: ServerProcess, clicks: Int) async throws {
        let committed = try await poll {
            // The server opens its warehouse in the background and answers 503 until then.
            let totals = (try? await server.getJSON("/api/summary"))?["totals"] as? [String: Any]
            return totals?["clicks"] as? Int == clicks
        }
        guard committed else { throw TestFailure("the events were not committed within \(patience):\n\(server.log)") }
    }

    @Test func everyAPIFigureMatchesTheKnownAnswer() async throws {
        let directory = try TemporaryDirectory()
        let server = try await startServer(directory)
        let posted = try await server.post("/v1/events", json: Self.events)
        #expect(posted.status == 200)
        let answer = try IntakeAnswer(posted.body)
        #expect(answer.received == 11 && answer.accepted == 10 && answer.rejected == 1 && answer.errors.map(\.index) == [10])
        try await waitForCommit(server, clicks: 5)

        let summary = try await server.getJSON("/api/summary")
        let totals = try #require(summary["totals"] as? [String: Any])
        #expect(totals["active_jobs"] as? Int == 2)
        #expect(totals["clicks"] as? Int == 5)
        #expect(totals["conversions"] as? Int == 1)
        #expect(totals["qualified_applications"] as? Int == 2)
        #expect(totals["disqualified_applications"] as? Int == 1)
        #expect(totals["spend"] as? Double == 5.25)
        let gauges = try #require(summary["gauges"] as? [String: Any])
        #expect(gauges["day"] as? String == "2026-11-28")
        #expect(gauges["qualified_share"] as? Double == 2.0 / 3.0)
        #expect(gauges["disqualified_share"] as? Double == 1.0 / 3.0)
        let freshness = try #require(summary["freshness"] as? [String: Any])
        #expect(freshness["newest_event_at"] as? String == "2026-11-28T09:30:00.000Z")
        #expect(freshness["lag_events"] as? Int == 0)

        let jobs = try #require(try await server.getJSON("/api/top-jobs")["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["job_id"] as? Int } == [502, 501])
        #expect(jobs[0]["clicks"] as? Int == 3)
        #expect(jobs[0]["spend"] as? Double == 3.25)
        #expect(jobs[0]["company_id"] as? Int == 8)
        #expect(jobs[1]["title"] as? String == "Night Nurse, \"ICU\"")
        #expect(jobs[1]["conversions"] as? Int == 1)

        let points = try #require(try await server.getJSON("/api/hourly")["points"] as? [[String: Any]])
        #expect(points.map { $0["hour"] as? String } == ["2026-11-27T10:00:00Z", "2026-11-27T11:00:00Z", "2026-11-28T09:00:00Z"])
        #expect(points.map { $0["clicks"] as? Int } == [2, 3, 0])
        #expect(points.map { $0["spend"] as? Double } == [2.0, 3.25, 0.0])

        let publishers = try #require(try await server.getJSON("/api/publishers")["rows"] as? [[String: Any]])
        #expect(publishers.map { $0["publisher_id"] as? Int } == [1, 2, 0])
        #expect(publishers[0]["cpc"] as? Double == 1.0)
        #expect(publishers[0]["conversion_rate"] as? Double == 0.5)
        #expect(publishers[0]["qualified_applications"] as? Int == 1)
        #expect(publishers[1]["cpc"] as? Double == 1.125)
        #expect(publishers[1]["conversion_rate"] as? Double == 0.0)
        #expect(publishers[2]["spend"] as? Double == 1.0)

        let campaigns = try #require(try await server.getJSON("/api/campaigns")["rows"] as? [[String: Any]])
        #expect(campaigns.map { $0["campaign_id"] as? Int } == [11, 10])
        #expect(campaigns.map { $0["clicks"] as? Int } == [3, 2])
        #expect(campaigns[0]["spend"] as? Double == 3.25)

        let filters = try await server.getJSON("/api/filters")
        #expect(filters["publishers"] as? [Int] == [0, 1, 2])
        #expect(filters["campaigns"] as? [Int] == [10, 11])

        let publisher1 = try #require(try await server.getJSON("/api/summary?publisher_id=1")["totals"] as? [String: Any])
        #expect(publisher1["clicks"] as? Int == 2)
        #expect(publisher1["active_jobs"] as? Int == 1)
        #expect(publisher1["disqualified_applications"] as? Int == 1)
        let secondDay = try #require(try await server.getJSON("/api/summary?from=2026-11-28T00:00:00Z&to=2026-11-28T23:59:59Z")["totals"] as? [String: Any])
        #expect(secondDay["clicks"] as? Int == 0)
        #expect(secondDay["qualified_applications"] as? Int == 2)
        #expect(secondDay["active_jobs"] as? Int == 2)
        let campaign11 = try #require(try await server.getJSON("/api/top-jobs?campaign_id=11")["jobs"] as? [[String: Any]])
        #expect(campaign11.map { $0["job_id"] as? Int } == [502])

        #expect(await server.stop() == 0, "graceful shutdown exits 0")
        #expect(server.log.contains("ETL stopped"))
    }

    /// The page in a real browser shows the warehouse's numbers; a screenshot is kept in
    /// test-output/ for people to look at.
    @Test(.enabled(if: Chromium.path != nil || ProcessInfo.processInfo.environment["JOBPULSE_REQUIRE_BROWSER"] != nil))
    func theDashboardShowsTheNumbersInChromium() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory()
        let server = try await startServer(directory)
        _ = try await server.post("/v1/events", json: Self.events)
        try await waitForCommit(server, clicks: 5)

        let url = server.baseURL + "/#range=all&stream=off"
        let dom = try await Chromium.run(chromium, profile: directory.file("chromium"), arguments: ["--dump-dom", "--virtual-time-budget=8000", url])
        #expect(dom.contains("data-loaded=\"true\""), "the page finished its first refresh")
        func value(_ id: String) -> String? {
            guard let start = dom.firstRange(of: "id=\"\(id)\"") else { return nil }
            let tag = dom[dom[..<start.lowerBound].lastIndex(of: "<")!...].prefix { $0 != ">" }
            guard let attribute = tag.firstRange(of: "data-value=\"") else { return nil }
            return String(tag[attribute.upperBound...].prefix { $0 != "\"" })
        }
        #expect(value("total-active-jobs") == "2")
        #expect(value("total-clicks") == "5")
        #expect(value("total-conversions") == "1")
        #expect(value("total-qualified") == "2")
        #expect(value("total-disqualified") == "1")
        #expect(value("gauge-qualified").flatMap(Double.init).map { abs($0 - 2.0 / 3.0) < 1e-9 } == true)
        #expect(value("gauge-disqualified").flatMap(Double.init).map { abs($0 - 1.0 / 3.0) < 1e-9 } == true)
        let topJobs = try #require(dom.firstRange(of: "id=\"top-jobs\""))
        let firstRow = dom[topJobs.upperBound...]
        #expect(
            firstRow.firstRange(of: "data-job-id=\"")
                .map { String(firstRow[$0.upperBound...].prefix { $0 != "\"" }) } == "502")
        #expect(dom.contains("Night Nurse, \"ICU\"") || dom.contains("Night Nurse, &quot;ICU&quot;"))

        let output = FileManager.default.currentDirectoryPath + "/test-output"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        _ = try await Chromium.run(
            chromium, profile: directory.file("chromium"),
            arguments: ["--window-size=1280,1400", "--virtual-time-budget=8000", "--screenshot=\(output)/dashboard.png", url])
        #expect(FileManager.default.fileExists(atPath: output + "/dashboard.png"))
        #expect(await server.stop() == 0)
    }

    /// Budgets and alerts on the page, from known data: campaign 11 spent 3.25 of a lifetime
    /// budget of 4 from 27 November (81 %, far ahead of an even pace over 35 days), and the
    /// newest event is days old, so budget_spent at 80 %, pace_ahead and pipeline_stalled fire.
    /// A screenshot of the whole page is kept beside the first one.
    @Test(.enabled(if: Chromium.path != nil || ProcessInfo.processInfo.environment["JOBPULSE_REQUIRE_BROWSER"] != nil))
    func thePacingAndAlertPanelsShowKnownBudgetsAndAlerts() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory()
        let budget = [
            "budget", "set", "--campaign", "11", "--amount", "4", "--period", "lifetime", "--starts-on", "2026-11-27", "--ends-on", "2026-12-31",
            "--currency", "EUR", "--data-dir", directory.path,
        ]
        #expect(try await runJobPulse(budget).status == 0)
        let server = try await startServer(directory)
        _ = try await server.post("/v1/events", json: Self.events)
        try await waitForCommit(server, clicks: 5)
        let expected = ["budget_spent:80:campaign:11", "pace_ahead:campaign:11", "pipeline_stalled:data_age:pipeline"]
        var keys: [String] = []
        _ = try await poll {
            let alerts = (try? await server.getJSON("/api/alerts"))?["alerts"] as? [[String: Any]] ?? []
            keys = alerts.compactMap { $0["key"] as? String }.sorted()
            return keys == expected
        }
        #expect(keys == expected, "the alerts after the commit:\n\(server.log)")
        let metrics = String(decoding: try await server.get("/metrics").body, as: UTF8.self)
        for (rule, count) in [("budget_spent", 1), ("pace_ahead", 1), ("pipeline_stalled", 1), ("traffic_stopped", 0), ("cpc_spike", 0)] {
            #expect(metrics.contains("jobpulse_alerts_firing{rule=\"\(rule)\"} \(count).0"), "\(rule) in /metrics")
        }
        let firing = try await server.get("/api/alerts?state=firing")
        let firingAnswer = try JSONSerialization.jsonObject(with: firing.body) as? [String: Any]
        #expect(firing.status == 200 && firingAnswer?["firing"] as? Int == 3)
        #expect(try await server.get("/api/alerts?state=loud").status == 400)

        let url = server.baseURL + "/#range=all&stream=off"
        let dom = try await Chromium.run(chromium, profile: directory.file("chromium"), arguments: ["--dump-dom", "--virtual-time-budget=8000", url])
        #expect(dom.contains("data-loaded=\"true\""), "the page finished its first refresh")
        let pacing = try #require(dom.firstRange(of: "data-budget=\"campaign 11\"").map { String(dom[$0.lowerBound...].prefix { $0 != ">" }) })
        #expect(pacing.contains("data-status=\"ahead\"") && pacing.contains("data-spent=\"3.25\""))
        for key in expected { #expect(dom.contains("data-key=\"\(key)\" data-state=\"firing\""), "\(key) is on the page") }
        #expect(dom.contains("id=\"alerts-firing\" data-value=\"3\""))

        let output = FileManager.default.currentDirectoryPath + "/test-output"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        _ = try await Chromium.run(
            chromium, profile: directory.file("chromium"),
            arguments: ["--window-size=1280,2000", "--virtual-time-budget=8000", "--screenshot=\(output)/dashboard-budgets-alerts.png", url])
        #expect(FileManager.default.fileExists(atPath: output + "/dashboard-budgets-alerts.png"))
        #expect(await server.stop() == 0)
    }

    /// What is wrong with the page's layout, one line per fault; empty when every panel shows
    /// its whole content. On a phone the tables may scroll inside their panel instead, as long
    /// as their first column is in view.
    static let layoutFaults = """
        (() => {
          const root = document.documentElement, phone = window.innerWidth < 600, faults = [];
          if (root.scrollWidth > root.clientWidth) faults.push(`the page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth} px`);
          document.querySelectorAll('.card').forEach((card) => {
            const name = card.querySelector('h2, .label').textContent.trim(), panel = card.getBoundingClientRect();
            if (panel.left < 0 || panel.right > root.clientWidth) faults.push(`${name}: the panel sticks out of the page`);
            if (card.scrollWidth > card.clientWidth) faults.push(`${name}: the content is ${card.scrollWidth - card.clientWidth} px wider than the panel`);
            card.querySelectorAll('table').forEach((table) => {
              const scroller = table.parentElement, box = scroller.getBoundingClientRect();
              if (phone) {
                if (!['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX) || box.right > panel.right)
                  faults.push(`${name}: the table does not scroll inside its panel`);
                if (table.querySelector('th').getBoundingClientRect().right > box.right) faults.push(`${name}: the first column is cut off`);
              } else if (table.getBoundingClientRect().right > box.right + 0.5) {
                faults.push(`${name}: the table ends at ${table.getBoundingClientRect().right} px, its panel at ${box.right} px`);
              }
            });
          });
          return faults.join('\\n');
        })()
        """

    /// The page in its default view renders the figures each commit brings on the stream and
    /// asks the API nothing; in another view, a commit makes it ask. Counted by the requests the
    /// browser itself records, never timed.
    @Test(.enabled(if: Chromium.path != nil || ProcessInfo.processInfo.environment["JOBPULSE_REQUIRE_BROWSER"] != nil))
    func theDefaultViewRendersTheFiguresOfEachCommitWithoutAsking() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory()
        let server = try await startServer(directory)
        var clicks = 0
        func click(_ count: Int) async throws {
            let now = Timestamp.sql(Int64(Date().timeIntervalSince1970 * 1000))
            let event = #"{"ts":"\#(now)","custom_track":"click","job_id":"501","publisher_id":"1","campaign_id":"10","group_id":"3","bid":"0.50"}"#
            #expect(try await server.post("/v1/events", json: "[" + Array(repeating: event, count: count).joined(separator: ",") + "]").status == 200)
            clicks += count
        }
        try await click(2)
        try await waitForCommit(server, clicks: clicks)

        let page = try await DevToolsPage(chromium: chromium, profile: directory.file("chromium"), width: 1280, height: 1600)
        defer { page.close() }
        try await page.loadDashboard(server.baseURL + "/")
        _ = try await page.evaluate("performance.setResourceTimingBufferSize(100000)")
        let apiRequests = """
            performance.getEntriesByType('resource').filter(function (e) { return e.name.indexOf('/api/') >= 0 && e.name.indexOf('/api/stream') < 0; }).length
            """
        func waitUntil(_ expression: String, _ what: String) async throws {
            if try await poll(until: { try await page.evaluate(expression) as? Bool == true }) { return }
            let seen = try await page.evaluate(
                "document.getElementById('total-clicks').getAttribute('data-value') + ' clicks, ' + document.body.getAttribute('data-stream-renders') + ' renders from the stream'"
            )
            throw TestFailure("\(what) within \(patience); the page shows \(seen ?? "nothing"):\n\(server.log)")
        }
        let shows = { (clicks: Int) in "document.getElementById('total-clicks').getAttribute('data-value') === '\(clicks)'" }
        try await waitUntil("document.getElementById('live').classList.contains('on')", "the stream opened")
        // The stream's opening refreshes the page once more; the rounds start when it is done.
        var settled = try await page.evaluate(apiRequests) as? Int
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(700))
            let now = try await page.evaluate(apiRequests) as? Int
            if now == settled { break }
            settled = now
        }

        // A commit the page cannot render from its figures makes it ask the API; a stream quiet
        // for five seconds does too (its heartbeat), which a loaded machine can reach between
        // rounds, so the asks are counted by their cause.
        let commitAsks = "Number(document.body.getAttribute('data-commit-refreshes') || 0)"
        for round in 1...3 {
            let asked = try await page.evaluate(commitAsks) as? Int
            try await click(round)
            try await waitUntil(shows(clicks) + " && Number(document.body.getAttribute('data-stream-renders')) >= \(round)", "the commit's figures shown")
            #expect(try await page.evaluate(commitAsks) as? Int == asked, "round \(round): the default view asked the API nothing")
        }

        // Another view: the figures on the stream are not its own, so the page asks.
        _ = try await page.evaluate("location.hash = '#range=7d'")
        try await waitUntil("\(apiRequests) > 0 && \(shows(clicks))", "the 7-day view loaded")
        let renders = try await page.evaluate("document.body.getAttribute('data-stream-renders')") as? String
        let asked = try #require(try await page.evaluate(apiRequests) as? Int)
        let askedForCommits = try #require(try await page.evaluate(commitAsks) as? Int)
        try await click(1)
        try await waitUntil(shows(clicks), "the 7-day view refreshed after the commit")
        #expect(try #require(try await page.evaluate(apiRequests) as? Int) >= asked + 8, "the other view asks each panel's endpoint")
        #expect(try #require(try await page.evaluate(commitAsks) as? Int) > askedForCommits, "and counts the commit that made it ask")
        #expect(try await page.evaluate("document.body.getAttribute('data-stream-renders')") as? String == renders)
        #expect(await server.stop() == 0)
    }

    /// Every panel shows all its columns from 1024 px wide up, and on a phone nothing but the
    /// tables scrolls sideways; measured in a real browser, since only layout can tell.
    @Test(.enabled(if: Chromium.path != nil || ProcessInfo.processInfo.environment["JOBPULSE_REQUIRE_BROWSER"] != nil))
    func everyPanelFitsFrom1024PixelsAndOnAPhone() async throws {
        let chromium = try #require(Chromium.path, "chromium is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory()
        let server = try await startServer(directory)
        _ = try await server.post("/v1/events", json: Self.events)
        try await waitForCommit(server, clicks: 5)

        for width in [1024, 1280, 1366, 1920, 390] {
            let page = try await DevToolsPage(chromium: chromium, profile: directory.file("chromium-\(width)"), width: width, height: 2400)
            defer { page.close() }
            try await page.loadDashboard(server.baseURL + "/#range=all&stream=off")
            let faults = try await page.evaluate(Self.layoutFaults) as? String
            #expect(faults == "", "at \(width) px wide:\n\(faults ?? "no answer")")
        }
        #expect(await server.stop() == 0)
    }
}

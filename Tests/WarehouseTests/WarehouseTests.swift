import JobPulseCore
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

@Suite(.mariaDBWhenBuilt) struct WarehouseTests {
    @Test(arguments: Backend.allCases)
    func reimportingJobsUpdatesThemAndTheirRows(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 1)
        try await store.generate(&generator, count: 2_000)
        _ = try await store.pipeline().runUntilCaughtUp()
        // Aggregated before the job dimension existed: no company yet.
        #expect(try await store.warehouse.facts().allSatisfy { $0.companyID == nil })

        let path = store.directory.file("job.csv")
        let csv = ([JobRecord.columns] + generator.jobs.map(TrafficGenerator.exportRow)).map(CSVWriter.line).joined(separator: "\n")
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let first = try await JobFileImport(warehouse: store.warehouse).run(path: path)
        #expect(first.count == IntakeCount(accepted: generator.jobs.count, rejected: 0))
        try await expectWarehouseEqualsGroundTruth(store)

        var moved = generator.jobs[0]
        moved.companyID = 999
        moved.text["title"] = "Night \"Shift\", Lead"
        let changed = ([JobRecord.columns, TrafficGenerator.exportRow(moved), ["x"] + Array(repeating: "", count: 29)])
            .map(CSVWriter.line).joined(separator: "\n")
        try changed.write(toFile: path, atomically: true, encoding: .utf8)
        let second = try await JobFileImport(warehouse: store.warehouse).run(path: path)
        #expect(second.count == IntakeCount(accepted: 1, rejected: 1))
        // The job's description holds a line break, so the bad row starts on line 4.
        #expect(second.rejections.first?.location == 4)
        #expect(try await store.warehouse.jobCount() == generator.jobs.count)
        #expect(try await store.warehouse.companyIDs(forJobs: [moved.jobID]) == [moved.jobID: 999])
        let rows = try await store.warehouse.facts().filter { $0.grain.jobID == moved.jobID }
        #expect(!rows.isEmpty && rows.allSatisfy { $0.companyID == 999 })
        let top = try await store.warehouse.topJobs(DashboardFilter(), limit: 300)
        #expect(top.first { $0.jobID == moved.jobID }?.title == "Night \"Shift\", Lead")
    }

    @Test(arguments: Backend.allCases)
    func dashboardFiltersSelectHoursPublishersAndCampaigns(backend: Backend) async throws {
        let store = try await TestStore(backend)
        func event(_ ts: String, _ kind: String, publisher: String, campaign: String, bid: String = "1.00") -> RawEvent {
            var e = RawEvent()
            e[.ts] = ts
            e[.customTrack] = kind
            e[.jobID] = "5"
            e[.publisherID] = publisher
            e[.campaignID] = campaign
            e[.bid] = bid
            return e
        }
        try await store.lake.write(
            [
                event("2026-11-28 10:15:00", "click", publisher: "1", campaign: "7"),
                event("2026-11-28 11:15:00", "click", publisher: "2", campaign: "7", bid: "3.00"),
                event("2026-11-29 09:00:00", "qualified", publisher: "1", campaign: "8"),
                event("2026-11-29 09:30:00", "unqualified", publisher: "1", campaign: "8"),
                event("2026-11-29 09:45:00", "qualified", publisher: "2", campaign: "8"),
                event("2026-11-29 09:50:00", "conversion", publisher: "2", campaign: "8"),
            ], rejections: [])
        _ = try await store.pipeline().runUntilCaughtUp()
        let w = store.warehouse
        let all = try await w.totals(DashboardFilter())
        #expect(all.activeJobs == 1)
        #expect(all.metrics == FunnelMetrics(clicks: 2, conversions: 1, qualified: 2, unqualified: 1, spendMicros: 4_000_000))

        let day28 = DashboardFilter(from: try EventTime.parse("2026-11-28 00:00:00").get(), to: try EventTime.parse("2026-11-28 23:59:59").get())
        #expect(try await w.totals(day28).metrics.clicks == 2)
        #expect(try await w.hourly(day28).map(\.clicks) == [1, 1])
        // A range is the hours whose start lies in it: an hour starting exactly at `from` or `to`
        // is in, one starting a millisecond before `from` is out.
        let tenOClock = try EventTime.parse("2026-11-28 10:00:00").get()
        #expect(try await w.hourly(DashboardFilter(from: tenOClock)).first?.hour.iso8601 == "2026-11-28T10:00:00Z")
        #expect(try await w.hourly(DashboardFilter(from: tenOClock + 1)).first?.hour.iso8601 == "2026-11-28T11:00:00Z")
        #expect(try await w.totals(DashboardFilter(from: tenOClock, to: tenOClock + 3_600_000)).metrics.clicks == 2)
        let gauges = try await w.dayGauges(DashboardFilter())
        #expect(gauges.day == "2026-11-29")
        #expect(gauges.qualifiedShare == 2.0 / 3.0)
        #expect(gauges.disqualifiedShare == 1.0 / 3.0)
        #expect(try await w.dayGauges(day28).qualifiedShare == nil)

        let publisher2 = DashboardFilter(publisherID: 2)
        #expect(try await w.totals(publisher2).metrics == FunnelMetrics(clicks: 1, conversions: 1, qualified: 1, spendMicros: 3_000_000))
        let byPublisher = try await w.breakdown(DashboardFilter(), by: .publisher)
        #expect(byPublisher.map(\.id) == [1, 2])
        #expect(byPublisher[1].costPerClick == 3.0)
        #expect(byPublisher[1].conversionRate == 1.0)
        let campaign8 = try await w.breakdown(DashboardFilter(campaignID: 8), by: .campaign)
        #expect(campaign8.count == 1 && campaign8[0].costPerClick == nil)
        #expect(try await w.filterValues() == FilterValues(publishers: [1, 2], campaigns: [7, 8]))
        #expect(try await w.topJobs(DashboardFilter(), limit: 10).map(\.jobID) == [5])
    }
}

@Suite struct StorageURLTests {
    @Test func passwordsNeverShow() throws {
        let url = try #require(StorageURL("mysql://jp:s%40cret@db.internal:3306/wh?ssl=required"))
        #expect(url.user == "jp")
        #expect(url.password == "s@cret")
        #expect(url.host == "db.internal")
        #expect(url.port == 3306)
        #expect(url.path == "wh")
        #expect(url.query == ["ssl": "required"])
        #expect(!url.description.contains("cret"))
        #expect(url.description == "mysql://jp:***@db.internal:3306/wh?ssl=required")
        #expect(StorageURL("sqlite:///var/lib/jobpulse/lake.db")?.path == "/var/lib/jobpulse/lake.db")
        #expect(StorageURL("not a url") == nil)
        #expect(StorageURL("mysql://host:99999/db") == nil)
    }
}

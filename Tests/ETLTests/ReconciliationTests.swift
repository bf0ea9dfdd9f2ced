import Foundation
import JobPulseCore
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// A generated file with known contents, through import and ETL: every row is accounted for,
/// and the warehouse's totals equal the generator's own counts.
@Suite(.mariaDBWhenBuilt) struct ReconciliationTests {
    @Test(arguments: Backend.allCases)
    func generatedFileReconcilesEndToEnd(backend: Backend) async throws {
        let store = try await TestStore(backend)
        var generator = TrafficGenerator(seed: 2024)
        let now = TestClock.now
        let rows = (0..<12_000).map { generator.nextRow(arrivingAt: now - Int64(12_000 - $0) * 10_000) }
        let tally = generator.tally
        let path = store.directory.file("tracking.csv")
        let text = CSVWriter.line(TrackingField.columnNames) + "\n" + rows.map(CSVWriter.line).joined(separator: "\n") + "\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try await store.warehouse.upsertJobs(generator.jobs)

        var importer = TrackingFileImport(lake: store.lake)
        importer.batchSize = 1_000
        importer.chunkSize = 4_096
        let count = try await importer.run(path: path)
        #expect(count.received == tally.received)
        #expect(count.rejected == tally.malformed)
        #expect(count.accepted == tally.accepted)
        #expect(try await store.lake.quarantine(limit: 1).total == tally.malformed)
        #expect(try await store.lake.count(after: nil) == tally.accepted)

        let run = try await store.pipeline(batchSize: 2_500).runUntilCaughtUp()
        #expect(run.events == count.accepted)
        #expect(run.funnel == tally.funnel)
        #expect(run.other == tally.other)

        let totals = try await store.warehouse.totals(DashboardFilter())
        #expect(
            totals.metrics
                == FunnelMetrics(
                    clicks: tally.clicks, conversions: tally.conversions, qualified: tally.qualified,
                    unqualified: tally.unqualified, spendMicros: tally.spendMicros))
        #expect(totals.activeJobs == Int64(tally.activeJobs))
        let publishers = try await store.warehouse.breakdown(DashboardFilter(), by: .publisher)
        #expect(Dictionary(uniqueKeysWithValues: publishers.map { ($0.id, $0.metrics.clicks) }) == tally.clicksByPublisher)
        // Every row of a known job carries its company.
        let facts = try await store.warehouse.facts()
        let companies = Dictionary(uniqueKeysWithValues: generator.jobs.map { ($0.jobID, $0.companyID) })
        #expect(facts.allSatisfy { $0.grain.jobID == 0 ? $0.companyID == nil : $0.companyID == companies[$0.grain.jobID]! })
        try await expectWarehouseEqualsGroundTruth(store)
    }

    @Test func rejectedRowsKeepLineAndReason() async throws {
        let store = try await TestStore()
        let header = CSVWriter.line(TrackingField.columnNames)
        var good = Array(repeating: "", count: TrackingField.count)
        good[TrackingField.ts.index] = "2022-07-18 07:05:11.130"
        good[TrackingField.ed.index] = #"{"customEvent":"click","jobId":"191","note":"a, b"}"#
        var badTime = good
        badTime[TrackingField.ts.index] = "18/07/2022"
        let lines = [header, CSVWriter.line(good), CSVWriter.line(badTime), "only,three,fields", "\"never closed,x,y"]
        let path = store.directory.file("messy.csv")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let count = try await TrackingFileImport(lake: store.lake).run(path: path)
        #expect(count == IntakeCount(accepted: 1, rejected: 3))
        let rejected = try await store.lake.quarantine(limit: 10).rows.map(\.rejection).sorted { $0.location < $1.location }
        #expect(rejected.map(\.location) == [3, 4, 5])
        #expect(rejected[0].reason.contains("ts \"18/07/2022\""))
        #expect(rejected[1].reason == "expected 29 fields, found 3")
        #expect(rejected[2].reason.contains("not closed"))
        #expect(rejected.allSatisfy { $0.origin == "messy.csv" && !$0.raw.isEmpty })
        let stored = try await store.lake.read(after: nil, limit: 10)
        #expect(stored.first?.event[.ed] == good[TrackingField.ed.index])
    }

    @Test func headerOrderAndUnknownColumnsAreKept() async throws {
        let store = try await TestStore()
        let path = store.directory.file("reordered.csv")
        try "ts,custom_track,job_id,browser_extra\n2022-07-18 07:05:11,click,12,\"x,y\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let count = try await TrackingFileImport(lake: store.lake).run(path: path)
        #expect(count == IntakeCount(accepted: 1, rejected: 0))
        let event = try #require(try await store.lake.read(after: nil, limit: 1).first?.event)
        #expect(event[.customTrack] == "click")
        #expect(event[.jobID] == "12")
        #expect(event.extra == ["browser_extra": "x,y"])
    }
}

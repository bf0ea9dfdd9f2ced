#if MySQL
import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import MariaDBClient
import MariaDBTestSupport
import Testing

/// What only a server can do to the warehouse: go away in the middle of a run, and hold text
/// that was crafted to break SQL. Serialized: the outage takes the suite's server down.
@Suite(.sharedServer, .serialized) struct MySQLWarehouseTests {
    /// MariaDB is killed while the ETL runs over a stream of events, and started again: the ETL
    /// retries, and the warehouse ends equal to the ground truth.
    @Test func surviveAServerOutageMidRun() async throws {
        let server = try SharedServer.require()
        let store = try await TestStore(.mysql)
        var generator = TrafficGenerator(seed: 77)
        try await store.warehouse.upsertJobs(generator.jobs)
        let pipeline = store.pipeline(batchSize: 300)
        let etl = Task { await pipeline.run() }

        for round in 0..<12 {
            try await store.generate(&generator, count: 250)
            if round == 4 { await server.crash() }
            if round == 8 { try await server.start() }
            try await Task.sleep(for: .milliseconds(150))
        }
        let accepted = try await store.lake.count(after: nil)
        _ = try await poll(every: .milliseconds(100)) {
            (try? await store.warehouse.state(source: "sqlite"))?.eventsTotal == Int64(accepted)
        }
        etl.cancel()
        await etl.value
        try await expectWarehouseEqualsGroundTruth(store)
    }

    static let hostileTexts = [
        "'; DROP TABLE events; --", "\" OR \"1\"=\"1", "Robert'); DELETE FROM job; --", "\\'; SELECT SLEEP(5); #",
        "%_%", "NULL", "😀 emoji 👩‍👩‍👧‍👦 family", "עברית ← RTL", "e\u{301} combining", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𐍈",
        "tab\tnew\nline\rreturn", "comma, \"quote\", back\\slash", String(repeating: "long ", count: 400),
    ]

    /// Injection strings and odd Unicode in every text column of jobs, and in every field of
    /// events, come back verbatim; as ids they simply do not count as ids.
    @Test func hostileTextIsStoredAndShownVerbatim() async throws {
        let store = try await TestStore(.mysql)
        let texts = Self.hostileTexts
        let jobs = texts.enumerated().map { index, text in
            JobRecord(
                jobID: Int32(900 + index), companyID: Int32(index), groupID: nil, campaignID: nil,
                text: Dictionary(uniqueKeysWithValues: JobRecord.textColumns.map { ($0, text) }))
        }
        try await store.warehouse.upsertJobs(jobs)
        let database = try #require(store.warehouse.database as? MySQLDatabase)
        let stored = try await database.read { session in
            try session.query("SELECT job_id, \(JobRecord.textColumns.joined(separator: ", ")) FROM job ORDER BY job_id")
        }
        #expect(stored.count == texts.count)
        for (row, text) in zip(stored, texts) {
            #expect(try JobRecord.textColumns.allSatisfy { try row.value($0) == .text(text) }, "job \(row.values[0])")
        }

        var events: [RawEvent] = []
        for (index, text) in texts.enumerated() {
            var event = RawEvent(values: TrackingField.allCases.map { _ in text })
            event[.ts] = "2026-11-29 10:00:00"
            event[.customTrack] = "click"
            event[.jobID] = String(900 + index)
            event[.bid] = "1.00"
            events.append(event)
            var hostileIDs = RawEvent(values: TrackingField.allCases.map { _ in text })
            hostileIDs[.ts] = "2026-11-29 11:00:00"
            hostileIDs[.customTrack] = "click"
            events.append(hostileIDs)
        }
        try await store.lake.write(events, rejections: [])
        #expect(try await store.lake.read(after: nil, limit: 100).map(\.event) == events)
        _ = try await store.pipeline().runUntilCaughtUp()

        let top = try await store.warehouse.topJobs(DashboardFilter(), limit: 100)
        #expect(
            Dictionary(uniqueKeysWithValues: top.map { ($0.jobID, $0.title) })
                == Dictionary(uniqueKeysWithValues: texts.enumerated().map { (Int32(900 + $0.offset), Optional($0.element)) }))
        let totals = try await store.warehouse.totals(DashboardFilter())
        #expect(totals.metrics.clicks == Int64(events.count))
        #expect(try await store.warehouse.facts().filter { $0.grain.jobID == 0 }.map(\.metrics.clicks) == [Int64(texts.count)])
        try await expectWarehouseEqualsGroundTruth(store)
    }
}
#endif

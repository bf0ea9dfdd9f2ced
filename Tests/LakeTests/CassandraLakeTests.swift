import CQLClient
import CassandraStandIn
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// The Cassandra lake end to end against the stand-in node: the real statements, bound values,
/// paging and protocol, through CQLClient.
@Suite(.timeLimit(.minutes(10))) struct CassandraLakeTests {
    let t0 = StandInCluster.start

    @Test func migrateCreatesTheKeyspaceAndTablesOnce() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open("replication=NetworkTopologyStrategy:dc1=3,dc2=2", clock: clock, schema: .create)
        let identity = try await lake.identity()
        await lake.close()
        #expect(cluster.node.store.replication(of: "jp") == "{ 'class' : 'NetworkTopologyStrategy' , 'dc1' : 3 , 'dc2' : 2 }")
        #expect(cluster.node.store.tableNames(in: "jp") == ["intake_keys", "lake_meta", "quarantine", "tracking"])
        #expect(identity.hasPrefix("cassandra:"))
        let creations = cluster.executions("CREATE").count

        // Any later open finds the tables and the lake's row: same identity, same bucket size.
        let reopened = try await cluster.open(clock: clock)
        #expect(try await reopened.identity() == identity)
        #expect(reopened.layout.bucketSeconds == 60)
        #expect(reopened.firstBucket == t0 / 1000 - 60)
        await reopened.close()
        #expect(cluster.executions("CREATE").count == creations, "nothing created again")

        // A URL that asks for another bucket size is refused; one that does not adopts the lake's.
        let mismatch = await #expect(throws: CassandraLakeError.self) { try await cluster.open("bucket_seconds=300", clock: clock) }
        #expect(mismatch?.description.contains("uses 60-second buckets") == true)
        await cluster.stop()
    }

    @Test func writesEveryFieldAndReadsItBack() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0 + 12_345)
        let lake = try await cluster.open(clock: clock)
        var full = RawEvent()
        for field in TrackingField.allCases { full[field] = "\(field.rawValue) \"value\", 'quoted' ü" }
        full[.ts] = "2025-11-29 09:59:58.250"
        full.extra = ["referrer_host": "jobs.example", "x": "1"]
        let sparse = RawEvent.with([.ts: "1764410399000", .customTrack: "click"])
        try await lake.write([full, sparse], rejections: [])

        let inserts = cluster.executions("INSERT INTO jp.tracking")
        #expect(inserts.count == 2)
        let expectedText =
            "INSERT INTO jp.tracking (bucket, ingest_id, received_at, "
            + TrackingField.columnNames.joined(separator: ", ") + ", extra, "
            + "n_kind, n_job_id, n_publisher_id, n_campaign_id, n_group_id, n_bid_micros, n_event_time) VALUES ("
            + Array(repeating: "?", count: 40).joined(separator: ", ") + ")"
        #expect(inserts[0].text == expectedText)
        #expect(inserts[0].values[0] == .bigint(t0 / 1000), "bucket: the ingest time floored to 60 s")
        #expect(inserts[0].values[2] == .timestamp(t0 + 12_345))
        #expect(
            inserts[0].values[33...] == [.int(0), .int(0), .int(0), .int(0), .int(0), .bigint(0), .bigint(1_764_410_398_250)],
            "typed with the row: every field of `full` is text the rules read as nothing but its ts")
        #expect(inserts[1].values[3..<32].filter { $0 == nil }.count == 27, "empty fields are unset, not null: no tombstones")
        #expect(inserts[1].values[32] == nil)
        #expect(inserts[1].values[33...] == [.int(1), .int(0), .int(0), .int(0), .int(0), .bigint(0), .bigint(1_764_410_399_000)])

        #expect(try await lake.read(after: nil, limit: 10).isEmpty, "inside the safety lag")
        clock.advance(seconds: 6)
        let records = try await lake.read(after: nil, limit: 10)
        #expect(records.map(\.event) == [full, sparse])
        #expect(records.allSatisfy { $0.receivedAt == t0 + 12_345 })
        let positions = try records.map { try CassandraLakePosition(token: $0.position.token) }
        #expect(positions[0].after < positions[1].after && positions[0].bucket == t0 / 1000)
        await lake.close()
        await cluster.stop()
    }

    @Test func aReadWalksBucketsInOrderPagingThroughBigOnes() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0 + 1_000)
        let lake = try await cluster.open("page_size=2", clock: clock)
        var written: [RawEvent] = []
        func write(_ count: Int) async throws {
            let events = (0..<count).map { index in RawEvent.with([.ts: "2025-11-29 10:00:00", .id: "\(written.count + index)"]) }
            try await lake.write(events, rejections: [])
            written += events
        }
        try await write(3)  // bucket t0
        clock.advance(seconds: 60)
        try await write(1)  // bucket t0 + 60
        clock.advance(seconds: 120)
        try await write(4)  // bucket t0 + 180; t0 + 120 stays empty
        clock.advance(seconds: 30)  // now t0 + 211 s, cutoff t0 + 206 s: all eight are readable

        let all = try await lake.read(after: nil, limit: 100)
        #expect(all.map(\.event) == written)
        let selects = cluster.executions("SELECT ingest_id")
        let firstPages = selects.filter { !$0.resumed }
        let bucket = t0 / 1000
        #expect(
            firstPages.compactMap { $0.values[0] } == [bucket - 60, bucket, bucket + 60, bucket + 120, bucket + 180].map(CQLValue.bigint),
            "from the first bucket to the cutoff's, each once")
        #expect(selects.contains { $0.resumed }, "a bucket of 3 and one of 4 need a second page of 2")
        #expect(selects.allSatisfy { $0.pageSize == 2 })

        // A limit in the middle of the second bucket.
        let some = try await lake.read(after: nil, limit: 4)
        #expect(some.map(\.event) == Array(written.prefix(4)))
        let next = try await lake.read(after: some.last?.position, limit: 100)
        #expect(next.map(\.event) == Array(written.dropFirst(4)))
        #expect(try await lake.count(after: some.last?.position) == 4)
        #expect(try await lake.count(after: nil) == 8)
        await lake.close()
        await cluster.stop()
    }

    @Test func aNewInstanceResumesFromAStoredToken() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock)
        let events = (0..<10).map { RawEvent.with([.ts: "2025-11-29 10:00:00", .id: "\($0)"]) }
        try await lake.write(Array(events.prefix(6)), rejections: [])
        clock.advance(seconds: 61)
        try await lake.write(Array(events.suffix(4)), rejections: [])
        clock.advance(seconds: 10)
        let first = try await lake.read(after: nil, limit: 4)
        let token = try #require(first.last?.position.token)
        await lake.close()

        let restarted = try await cluster.open(clock: clock)
        let rest = try await restarted.read(after: LakePosition(token), limit: 100)
        #expect((first + rest).map(\.event) == events, "nothing lost, nothing twice")
        #expect(try await restarted.count(after: LakePosition(token)) == 6)
        await #expect(throws: StorageError.self) { try await restarted.read(after: LakePosition("42"), limit: 1) }
        await restarted.close()
        await cluster.stop()
    }

    /// Another collector's write is stamped when it starts and becomes visible when it lands; the
    /// reader already read past that stamp's bucket, but not past its cutoff, so it still gets it.
    @Test func aLateWriteIsPickedUpByTheNextBatchOnceInsideTheLag() async throws {
        let cluster = try await StandInCluster.start()
        let readerClock = ManualWallClock(t0 + 10_000)
        let reader = try await cluster.open(clock: readerClock)
        try await reader.write([RawEvent.with([.ts: "2025-11-29 10:00:10", .id: "early"])], rejections: [])

        // Stamped at +12 s by a collector whose write lands only after the next read.
        let slowClock = ManualWallClock(t0 + 12_000)
        let slowCollector = try await cluster.open(clock: slowClock)

        readerClock.advance(seconds: 6)  // now +16 s, cutoff +11 s
        let first = try await reader.read(after: nil, limit: 100)
        #expect(first.map { $0.event[.id] } == ["early"])

        try await slowCollector.write([RawEvent.with([.ts: "2025-11-29 10:00:12", .id: "late"])], rejections: [])
        readerClock.advance(seconds: 0.5)  // the write landed 4.5 s after its stamp: inside the 5 s lag
        #expect(try await reader.read(after: first.last?.position, limit: 100).isEmpty, "+12 s is past the cutoff (+11.5 s) still")
        readerClock.advance(seconds: 1)
        let second = try await reader.read(after: first.last?.position, limit: 100)
        #expect(second.map { $0.event[.id] } == ["late"])
        await slowCollector.close()
        await reader.close()
        await cluster.stop()
    }

    @Test func anIdleStretchIsWalkedOnlyOnce() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock)
        try await lake.write([RawEvent.with([.ts: "2025-11-29 10:00:00"])], rejections: [])
        clock.advance(seconds: 3_600)
        let records = try await lake.read(after: nil, limit: 100)
        #expect(records.count == 1)
        let walked = cluster.executions("SELECT ingest_id").count
        #expect(walked == 61, "from the first bucket to the cutoff's, one query each")

        clock.advance(seconds: 1)
        #expect(try await lake.read(after: records.last?.position, limit: 100).isEmpty)
        #expect(try await lake.count(after: records.last?.position) == 0)
        #expect(cluster.executions("SELECT ingest_id").count - walked == 1, "only the cutoff's bucket again")
        await lake.close()
        await cluster.stop()
    }

    @Test func aCappedCountIsALowerBoundThatCatchesUp() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open("count_limit=3", clock: clock)
        for _ in 0..<4 {
            try await lake.write([RawEvent.with([.ts: "1764410400000"]), RawEvent.with([.ts: "1764410400001"])], rejections: [])
            clock.advance(seconds: 60)
        }
        let first = try await lake.count(after: nil)
        #expect(first == 4, "stops after the bucket that reached the limit")
        #expect(lake.countLimit == 3 && lake.isLowerBound(first), "and says that it may be short")
        #expect(try await lake.count(after: nil) == 8, "the next call goes on from there")
        let counts = cluster.executions("SELECT count(*) FROM jp.tracking").count
        clock.advance(seconds: 1)
        #expect(try await lake.count(after: nil) == 8)
        #expect(cluster.executions("SELECT count(*) FROM jp.tracking").count - counts == 1)
        await lake.close()
        await cluster.stop()
    }

    @Test func theQuarantineListsTheNewestRejectionsAcrossDays() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock)
        try await lake.write([], rejections: [Rejection(origin: "a.csv", location: 3, reason: "ts is missing", raw: "x,y")])
        clock.advance(seconds: 86_400)
        try await lake.write(
            [RawEvent.with([.ts: "1764410400000"])],
            rejections: [
                Rejection(origin: "http", location: 0, reason: "ts is unreadable: \"soon\"", raw: "{\"ts\":\"soon\"}"),
                Rejection(origin: "http", location: 4, reason: "ts is missing", raw: "{}"),
            ])
        let (rows, total) = try await lake.quarantine(limit: 2)
        #expect(total == 3)
        #expect(rows.map(\.rejection.location) == [4, 0])
        #expect(rows.map(\.id) == [3, 2])
        #expect(rows.allSatisfy { $0.receivedAt == t0 + 86_400_000 })
        #expect(try await lake.quarantine(limit: 10).rows.last?.rejection == Rejection(origin: "a.csv", location: 3, reason: "ts is missing", raw: "x,y"))
        #expect(cluster.executions("INSERT INTO jp.quarantine").first?.values[0] == .date(UInt32(20_421) + (1 << 31)))
        await lake.close()
        await cluster.stop()
    }

    @Test func aDroppedConnectionDuringAWriteIsReportedAndNothingCounted() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock)
        var batch = IntakeBatch(origin: "test")
        for index in 0..<5 { batch.admit(RawEvent.with([.ts: "1764410400000", .id: "\(index)"]), location: index, raw: { "" }) }

        cluster.node.failNext(.batch, with: .dropConnection)
        let error = await #expect(throws: CassandraLakeError.self) { try await batch.flush(to: lake) }
        #expect(error?.description.contains("0 are stored nonetheless, 5 may or may not be, and 0 were not sent") == true, "\(String(describing: error))")
        #expect(batch.count == IntakeCount(accepted: 5, rejected: 0), "the batch keeps its rows: nothing was reported")
        clock.advance(seconds: 10)
        #expect(try await lake.read(after: nil, limit: 100).isEmpty)

        // Once the node answers again, the same rows go in exactly once.
        #expect(try await batch.flush(to: lake) == IntakeCount(accepted: 5, rejected: 0))
        clock.advance(seconds: 10)
        #expect(try await lake.read(after: nil, limit: 100).map { $0.event[.id] } == ["0", "1", "2", "3", "4"])

        // A write of two partitions whose second batch is lost: the first is stored, and said to be.
        cluster.node.failNext(.batch, with: .dropConnection, skipping: 1)
        let partial = await #expect(throws: CassandraLakeError.self) {
            try await lake.write([RawEvent.with([.ts: "1764410400000"])], rejections: [Rejection(origin: "t", location: 1, reason: "r", raw: "")])
        }
        #expect(partial?.description.contains("1 are stored nonetheless, 1 may or may not be, and 0 were not sent") == true)
        await lake.close()
        await cluster.stop()
    }

    @Test func theETLOverTheLakeEqualsAFromScratchAggregation() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open("page_size=300", clock: clock)
        let directory = try TemporaryDirectory()
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")))
        try await warehouse.migrate()
        var generator = TrafficGenerator(seed: 11)
        try await warehouse.upsertJobs(generator.jobs)
        var accepted = 0
        for round in 0..<6 {
            var batch = IntakeBatch(origin: "test")
            for index in 0..<250 {
                batch.admit(fields: generator.nextRow(arrivingAt: t0 - Int64(index) * 1_000), layout: .standard, location: round * 250 + index)
            }
            accepted += try await batch.flush(to: lake).accepted
            clock.advance(seconds: 40)
        }
        clock.advance(seconds: 10)
        let pipeline = ETLPipeline(
            lake: lake, warehouse: warehouse,
            configuration: ETLConfiguration(batchSize: 400, interval: .milliseconds(50)))
        let run = try await pipeline.runUntilCaughtUp()
        #expect(run.events == accepted)
        #expect(try await warehouse.state(source: "cassandra")?.eventsTotal == Int64(accepted))
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        #expect(try await pipeline.runUntilCaughtUp().batches == 0, "a second run finds nothing new")
        try await warehouse.close()
        await lake.close()
        await cluster.stop()
    }

    @Test func theURLsCredentialsAreUsedAndNeverShown() async throws {
        let cluster = try await StandInCluster.start(credentials: ("jobpulse", "s3cret!"))
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock, credentials: "jobpulse:s3cret%21@")
        await lake.close()
        let error = await #expect(throws: CassandraLakeError.self) {
            try await cluster.open(clock: clock, credentials: "jobpulse:wrong-secret@")
        }
        let text = error.map(String.init(describing:)) ?? ""
        #expect(text.contains("password are incorrect"), "\(text)")
        #expect(!text.contains("wrong-secret"))
        await cluster.stop()
    }
}

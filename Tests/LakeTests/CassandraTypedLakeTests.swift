import CQLClient
import CassandraStandIn
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseTestSupport
import JobPulseWarehouse
import NIOConcurrencyHelpers
import Testing

@testable import JobPulseLake

/// The Cassandra lake's typed columns against the stand-in node: what the ETL reads of them,
/// `reprocess`, and the upgrade of a keyspace written by the release before them.
@Suite(.timeLimit(.minutes(10))) struct CassandraTypedLakeTests {
    let t0 = StandInCluster.start

    /// Generated traffic (the rows whose `ts` admission reads), then events the rules find hard:
    /// ids only in `ed`, an id past 32 bits, a malformed bid, and a `ts` they cannot read, which
    /// only a lake written by other means than admission holds.
    static func traffic(_ count: Int, seed: UInt64, arrivingAt now: Int64) -> [RawEvent] {
        var generator = TrafficGenerator(seed: seed)
        var events: [RawEvent] = []
        while events.count < count {
            guard case .success(let event) = TrackingCSVLayout.standard.event(from: generator.nextRow(arrivingAt: now)),
                AdmittedEvent(event).normalized != nil
            else { continue }
            events.append(event)
        }
        return events + [
            .with([.ts: "2025-11-29 09:30:00", .ed: #"{"customEvent":"conversion","jobId":"42","publisherId":7,"groupId":"x"}"#]),
            .with([.ts: "1764408600000", .customTrack: "qualified", .jobID: "4294967296", .campaignID: "12", .bid: "1,5"]),
            .with([.ts: "yesterday", .customTrack: "click", .jobID: "9", .bid: "0.5"]),
        ]
    }

    /// What admission gives each event: what `readNormalized` must read back.
    static func typed(_ events: [RawEvent]) -> [NormalizedEvent?] {
        events.map { AdmittedEvent($0).normalized }
    }

    /// Runs a statement on the node as another client would, behind the lake's back.
    static func run(_ text: String, _ values: [CQLValue?], on cluster: StandInCluster) throws {
        let (statement, _) = try cluster.node.store.markerTypes(of: text)
        _ = try cluster.node.store.execute(statement, text: text, values: values, pageSize: nil, pagingState: nil)
    }

    // MARK: Reading

    @Test func readNormalizedReadsWhatAdmissionTypedAcrossBucketsAndPages() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0 + 1_000)
        let lake = try await cluster.open("page_size=3", clock: clock)
        let events = Self.traffic(30, seed: 3, arrivingAt: t0)
        try await lake.write(Array(events[0..<14]), rejections: [])  // bucket t0
        clock.advance(seconds: 60)
        var keyed = IntakeBatch(origin: "http")  // bucket t0 + 60, through a claim
        for (index, event) in events[14..<20].enumerated() { keyed.admit(event, location: index, raw: { "" }) }
        #expect(try await !keyed.flush(to: lake, key: #require(IntakeKey("typed")), fingerprint: nil).replayed)
        clock.advance(seconds: 120)
        try await lake.write(Array(events[20...]), rejections: [])  // bucket t0 + 180; t0 + 120 stays empty
        clock.advance(seconds: 30)

        let typed = try await lake.readNormalized(after: nil, limit: 1_000)
        #expect(typed.map(\.event) == Self.typed(events))
        #expect(typed.last?.event == nil, "the unreadable ts is stored untyped")
        let raw = try await lake.read(after: nil, limit: 1_000)
        #expect(typed.map(\.position) == raw.map(\.position), "the same positions as the raw read")

        let selects = cluster.executions("SELECT ingest_id, n_")
        #expect(
            selects.first?.text == "SELECT ingest_id, n_kind, n_job_id, n_publisher_id, n_campaign_id, n_group_id, n_bid_micros, n_event_time "
                + "FROM jp.tracking WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?", "no raw column is read")
        let bucket = t0 / 1000
        #expect(
            selects.filter { !$0.resumed }.compactMap { $0.values[0] } == [bucket - 60, bucket, bucket + 60, bucket + 120, bucket + 180].map(CQLValue.bigint),
            "from the first bucket to the cutoff's, each once")
        #expect(selects.contains { $0.resumed } && selects.allSatisfy { $0.pageSize == 3 })

        // Limits that stop inside buckets, each read resuming from the last position.
        var resumed: [NormalizedRecord] = []
        var position: LakePosition?
        while true {
            let batch = try await lake.readNormalized(after: position, limit: 4)
            guard let last = batch.last else { break }
            resumed += batch
            position = last.position
        }
        #expect(resumed.map(\.position) == typed.map(\.position))
        #expect(resumed.map(\.event) == typed.map(\.event))
        await lake.close()
        await cluster.stop()
    }

    /// A collector's write stamped before the reader's cutoff but landing after its read is
    /// still read, typed, by the next one once the cutoff passes it.
    @Test func aLateWriteIsReadTypedByTheNextRead() async throws {
        let cluster = try await StandInCluster.start()
        let readerClock = ManualWallClock(t0 + 10_000)
        let reader = try await cluster.open(clock: readerClock)
        let events = Self.traffic(2, seed: 8, arrivingAt: t0)
        try await reader.write([events[0]], rejections: [])
        let slowCollector = try await cluster.open(clock: ManualWallClock(t0 + 12_000))

        readerClock.advance(seconds: 6)  // now +16 s, cutoff +11 s
        let first = try await reader.readNormalized(after: nil, limit: 100)
        #expect(first.map(\.event) == Self.typed([events[0]]))

        try await slowCollector.write([events[1]], rejections: [])
        readerClock.advance(seconds: 0.5)
        #expect(try await reader.readNormalized(after: first.last?.position, limit: 100).isEmpty, "+12 s is past the cutoff (+11.5 s) still")
        readerClock.advance(seconds: 1)
        let second = try await reader.readNormalized(after: first.last?.position, limit: 100)
        #expect(second.map(\.event) == Self.typed([events[1]]))
        await slowCollector.close()
        await reader.close()
        await cluster.stop()
    }

    // MARK: Reprocess

    @Test func reprocessFindsNothingToChangeInALakeWrittenByThisRelease() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open("page_size=7", clock: clock)
        let events = Self.traffic(40, seed: 5, arrivingAt: t0)
        try await lake.write(Array(events[..<20]), rejections: [])
        clock.advance(seconds: 90)
        try await lake.write(Array(events[20...]), rejections: [])

        let progress = NIOLockedValueBox<[Int]>([])
        let report = try await lake.reprocess { events in progress.withLockedValue { $0.append(events) } }
        #expect(report == ReprocessReport(events: events.count, changed: 0), "every event, the newest too: reprocess has no safety lag")
        #expect(progress.withLockedValue { $0 } == [20, events.count], "after each bucket that held events")
        #expect(cluster.executions("UPDATE jp.tracking").isEmpty)
        await lake.close()
        await cluster.stop()
    }

    @Test func reprocessRewritesTypedValuesChangedBehindItsBack() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(clock: clock)
        let events = Self.traffic(10, seed: 6, arrivingAt: t0)
        try await lake.write(events, rejections: [])
        clock.advance(seconds: 10)
        let rows = cluster.node.store.rows(of: "jp.tracking")
        func key(_ index: Int) -> [CQLValue?] { [rows[index]["bucket"], rows[index]["ingest_id"]] }
        try Self.run("UPDATE jp.tracking SET n_kind = ? WHERE bucket = ? AND ingest_id = ?", [.int(9)] + key(0), on: cluster)
        try Self.run(
            "UPDATE jp.tracking SET n_job_id = ?, n_bid_micros = ? WHERE bucket = ? AND ingest_id = ?",
            [.int(77), .bigint(1)] + key(1), on: cluster)
        try Self.run("UPDATE jp.tracking SET n_event_time = ? WHERE bucket = ? AND ingest_id = ?", [.null] + key(2), on: cluster)
        // The event whose ts the rules cannot read, given a time.
        try Self.run("UPDATE jp.tracking SET n_event_time = ? WHERE bucket = ? AND ingest_id = ?", [.bigint(5)] + key(rows.count - 1), on: cluster)
        #expect(try await lake.readNormalized(after: nil, limit: 100).map(\.event) != Self.typed(events))

        let report = try await lake.reprocess { _ in }
        #expect(report == ReprocessReport(events: events.count, changed: 4))
        let updates = cluster.executions("UPDATE jp.tracking SET n_kind = ?, n_job_id")
        #expect(updates.count == 4)
        #expect(
            updates[1].values == [nil, rows[1]["n_job_id"], nil, nil, nil, rows[1]["n_bid_micros"], nil] + key(1),
            "only the cells that differ are written; the others are unset")
        #expect(updates[3].values[6] == .null, "a time the rules cannot give is removed")
        #expect(try await lake.readNormalized(after: nil, limit: 100).map(\.event) == Self.typed(events))
        #expect(try await lake.reprocess { _ in } == ReprocessReport(events: events.count, changed: 0), "a second run finds it done")
        await lake.close()
        await cluster.stop()
    }

    // MARK: Upgrade

    /// Runs the ETL over `lake` into a new warehouse at `path`, checks it against a from-scratch
    /// aggregation of the lake, and answers its rows.
    static func etl(_ lake: CassandraLake, into path: String, jobs: [JobRecord]) async throws -> Set<FactRow> {
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: path))
        try await warehouse.migrate()
        try await warehouse.upsertJobs(jobs)
        let run = try await ETLPipeline(lake: lake, warehouse: warehouse, configuration: ETLConfiguration(batchSize: 70, interval: .milliseconds(50)))
            .runUntilCaughtUp()
        #expect(run.batches > 1)
        #expect(try await warehouse.state(source: "cassandra")?.unusableTotal == 1, "the event whose ts is unreadable")
        try await expectWarehouseEqualsGroundTruth(lake: lake, warehouse: warehouse)
        let facts = Set(try await warehouse.facts())
        try await warehouse.close()
        return facts
    }

    @Test func migrateUpgradesAKeyspaceOfThePreviousLayoutInPlace() async throws {
        let upgraded = try await StandInCluster.start()
        let written = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let previous = try PreviousLayoutKeyspace(store: upgraded.node.store, now: t0)
        let fresh = try await written.open(clock: clock)
        var generator = TrafficGenerator(seed: 21)
        for round in 0..<4 {
            let rows = (0..<60).map { _ in generator.nextRow(arrivingAt: clock.now) }
            let events =
                rows.compactMap { try? TrackingCSVLayout.standard.event(from: $0).get() }.filter { AdmittedEvent($0).normalized != nil }
                + (round == 0 ? [.with([.ts: "never", .customTrack: "click"])] : [])
            try previous.write(events, now: clock.now)
            try await fresh.write(events, rejections: [])
            clock.advance(seconds: 50)
        }
        clock.advance(seconds: 10)
        let rowsBefore = upgraded.node.store.rows(of: "jp.tracking")

        // Any other command refuses the lake, and changes nothing.
        let refused = await #expect(throws: StorageError.self) { try await upgraded.open(clock: clock) }
        #expect(
            refused?.description == "the lake in keyspace jp at cassandra://127.0.0.1:\(upgraded.node.port)/jp has layout 1, "
                + "written by an earlier JobPulse; run `jobpulse migrate` to upgrade it in place")
        #expect(upgraded.executions("ALTER").isEmpty && upgraded.node.store.rows(of: "jp.tracking") == rowsBefore)

        let lake = try await upgraded.open(clock: clock, schema: .create)
        #expect(
            upgraded.executions("ALTER").map(\.text) == [
                "ALTER TABLE jp.tracking ADD n_kind int", "ALTER TABLE jp.tracking ADD n_job_id int", "ALTER TABLE jp.tracking ADD n_publisher_id int",
                "ALTER TABLE jp.tracking ADD n_campaign_id int", "ALTER TABLE jp.tracking ADD n_group_id int",
                "ALTER TABLE jp.tracking ADD n_bid_micros bigint", "ALTER TABLE jp.tracking ADD n_event_time bigint",
                "ALTER TABLE jp.lake_meta ADD layout int",
            ])
        let rowsAfter = upgraded.node.store.rows(of: "jp.tracking")
        #expect(rowsAfter.map { $0.filter { !$0.key.hasPrefix("n_") } } == rowsBefore, "every bucket, ingest id and raw field as it was")
        let raw = try await lake.read(after: nil, limit: 10_000)
        #expect(raw.count == rowsBefore.count)
        let typed = try await lake.readNormalized(after: nil, limit: 10_000)
        #expect(typed.map(\.position) == raw.map(\.position))
        #expect(typed.map(\.event) == Self.typed(raw.map(\.event)), "typed as admission types them")
        #expect(
            rowsAfter.contains { $0["n_event_time"] == nil && $0["n_kind"] == .int(0) && $0["n_bid_micros"] == .bigint(0) },
            "the event whose ts is unreadable: kind 0, ids and bid 0, no time")
        #expect(try await lake.identity() == previous.identity)
        #expect(upgraded.node.store.rows(of: "jp.lake_meta").first?["layout"] == .int(2))

        // The ETL over the upgraded lake builds the warehouse it builds over a lake written new.
        let directory = try TemporaryDirectory()
        let upgradedFacts = try await Self.etl(lake, into: directory.file("upgraded.db"), jobs: generator.jobs)
        let freshFacts = try await Self.etl(fresh, into: directory.file("fresh.db"), jobs: generator.jobs)
        #expect(!upgradedFacts.isEmpty && upgradedFacts == freshFacts)
        await lake.close()
        await fresh.close()

        // Upgraded once: every command opens it, and another migrate finds nothing to do.
        let statements = upgraded.node.store.log.count
        try await upgraded.open(clock: clock).close()
        try await upgraded.open(clock: clock, schema: .create).close()
        #expect(!upgraded.node.store.log.dropFirst(statements).contains { $0.text.hasPrefix("ALTER") || $0.text.hasPrefix("UPDATE jp.tracking") })
        await upgraded.stop()
        await written.stop()
    }

    /// A migrate stopped after adding some columns, then one stopped part-way through typing the
    /// events: the lake stays refused until a migrate completes, which does only what is left.
    @Test func anInterruptedUpgradeIsCompletedByTheNextMigrate() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let previous = try PreviousLayoutKeyspace(store: cluster.node.store, now: t0)
        let events = Self.traffic(600, seed: 9, arrivingAt: t0)
        try previous.write(events, now: t0)
        clock.advance(seconds: 10)
        for column in ["n_kind int", "n_job_id int", "n_publisher_id int"] { try previous.run("ALTER TABLE jp.tracking ADD \(column)", []) }
        await #expect(throws: StorageError.self) { try await cluster.open(clock: clock) }

        // The second batch of typed values is lost with its connection: 250 events are typed.
        cluster.node.failNext(.batch, with: .dropConnection, skipping: 1)
        await #expect(throws: CassandraLakeError.self) { try await cluster.open(clock: clock, schema: .create) }
        #expect(cluster.executions("ALTER").count == 3 + 5, "only the missing columns were added")
        #expect(cluster.node.store.rows(of: "jp.tracking").filter { $0["n_kind"] != nil }.count == 250)
        let refused = await #expect(throws: StorageError.self) { try await cluster.open(clock: clock) }
        #expect(refused?.description.contains("has layout 1, written by an earlier JobPulse; run `jobpulse migrate`") == true)

        let alters = cluster.executions("ALTER").count
        let typedBefore = cluster.executions("UPDATE jp.tracking").count
        let lake = try await cluster.open(clock: clock, schema: .create)
        #expect(cluster.executions("ALTER").count == alters, "every column was there")
        #expect(cluster.executions("UPDATE jp.tracking").count - typedBefore == events.count - 250, "only the events left untyped")
        #expect(try await lake.readNormalized(after: nil, limit: 1_000).map(\.event) == Self.typed(events))
        await lake.close()
        await cluster.stop()
    }

    /// A node that added a column but whose answer was lost with its connection: the upgrade
    /// finds the column in the schema tables and goes on.
    @Test func aColumnAddedWhoseAnswerWasLostCountsAsAdded() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let previous = try PreviousLayoutKeyspace(store: cluster.node.store, now: t0)
        let events = Self.traffic(5, seed: 10, arrivingAt: t0)
        try previous.write(events, now: t0)
        clock.advance(seconds: 10)
        cluster.node.failNext(.query, with: .dropConnectionAfterRunning, statementPrefix: "ALTER TABLE jp.tracking ADD n_group_id")
        let lake = try await cluster.open(clock: clock, schema: .create)
        #expect(cluster.node.store.columnNames(of: "jp.tracking").suffix(7) == ArraySlice(TypedColumns.names))
        #expect(try await lake.readNormalized(after: nil, limit: 100).map(\.event) == Self.typed(events))
        await lake.close()
        await cluster.stop()
    }

    @Test func aLakeOfALaterLayoutIsRefused() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        try await cluster.open(clock: clock).close()
        try Self.run("UPDATE jp.lake_meta SET layout = ? WHERE id = ?", [.int(3), .text("lake")], on: cluster)
        for schema in [CassandraLake.SchemaAction.createIfMissing, .create] {
            let refused = await #expect(throws: StorageError.self) { try await cluster.open(clock: clock, schema: schema) }
            #expect(
                refused?.description == "the lake in keyspace jp at cassandra://127.0.0.1:\(cluster.node.port)/jp has layout 3, "
                    + "written by a later JobPulse than this one; use that release")
        }
        await cluster.stop()
    }
}

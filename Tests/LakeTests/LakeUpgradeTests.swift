import Foundation
import GRDB
import JobPulseCore
import JobPulseETL
import JobPulseGenerator
import JobPulseLake
import JobPulseTestSupport
import JobPulseWarehouse
import Testing

/// A lake written by the release before the typed lake (layout 1) is upgraded in place by
/// `migrate`: every event keeps its position and its raw fields, gains the typed values the rules
/// give it, and counts in a warehouse exactly as it would have.
@Suite struct LakeUpgradeTests {
    @Test func aLayoutOneLakeIsRefusedUntilMigrated() async throws {
        let directory = try TemporaryDirectory()
        let fixture = LayoutOneFixture(events: 50)
        try await fixture.write(to: directory.file("lake.db"))
        #expect { try SQLiteLake(path: directory.file("lake.db")) } throws: { error in
            "\(error)".contains("layout 1") && "\(error)".contains("jobpulse migrate")
        }
        let refused = try await runJobPulse(["etl", "--once", "--data-dir", directory.path])
        #expect(refused.status != 0 && refused.output.contains("jobpulse migrate"), "\(refused.output)")
    }

    @Test func migrateKeepsEveryEventAtItsPosition() async throws {
        let directory = try TemporaryDirectory()
        let fixture = try await offloaded { LayoutOneFixture(events: 2_500) }
        try await fixture.write(to: directory.file("lake.db"))
        let upgraded = try SQLiteLake(path: directory.file("lake.db"), upgrade: true)
        try await fixture.expectHeld(by: upgraded)
        #expect(try await upgraded.identity() == LayoutOneFixture.identity)
        #expect(try await upgraded.quarantine(limit: 10).total == 1)
        // Positions go on after the greatest ever given, never reusing one.
        try await upgraded.write([RawEvent.with([.ts: "2026-11-30 10:00:00", .id: "after"])], rejections: [])
        let next = try await upgraded.read(after: LakePosition(String(fixture.lastPosition)), limit: 10)
        #expect(next.map(\.position.token) == [String(LayoutOneFixture.sequence + 1)])

        // The upgraded lake counts in a warehouse exactly as the same events written anew do.
        let fresh = try await TestStore()
        try await fresh.lake.write(fixture.rows.map(\.event), rejections: [])
        _ = try await fresh.pipeline().runUntilCaughtUp()
        let warehouse = SQLWarehouse(database: try SQLiteDatabase(path: directory.file("warehouse.db")))
        try await warehouse.migrate()
        _ = try await ETLPipeline(lake: upgraded, warehouse: warehouse).runUntilCaughtUp()
        let facts = try await warehouse.facts()
        let freshFacts = try await fresh.warehouse.facts()
        #expect(!facts.isEmpty && facts == freshFacts)
        try await expectWarehouseEqualsGroundTruth(lake: upgraded, warehouse: warehouse)
        let unreadable = fixture.rows.filter { AdmittedEvent($0.event).normalized == nil }.count
        let unusable = try await warehouse.state(source: "sqlite")?.unusableTotal
        #expect(unreadable > 0 && unusable == Int64(unreadable))
    }

    /// `jobpulse migrate` killed at several moments of an upgrade, then run to the end, leaves
    /// the lake exactly as one uninterrupted run does.
    @Test func anInterruptedUpgradeResumes() async throws {
        let directory = try TemporaryDirectory()
        let fixture = try await offloaded { LayoutOneFixture(events: 30_000) }
        try await fixture.write(to: directory.file("lake.db"))
        let executable = try jobpulseExecutable()
        var interrupted = 0
        for delay in [0, 40, 150, 400] {
            let migrate = Process()
            migrate.executableURL = URL(fileURLWithPath: executable)
            migrate.arguments = ["migrate", "--data-dir", directory.path, "--log-level", "error"]
            migrate.standardOutput = FileHandle.nullDevice
            try migrate.run()
            if try await Self.kill(migrate, delay: delay, afterTheUpgradeOf: directory.file("lake.db")) { interrupted += 1 }
        }
        #expect(interrupted > 0, "no kill landed inside the upgrade")
        let finished = try await runJobPulse(["migrate", "--data-dir", directory.path])
        #expect(finished.status == 0, "\(finished.output)")
        try await fixture.expectHeld(by: try SQLiteLake(path: directory.file("lake.db")))
    }

    /// Kills `migrate` `delay` milliseconds after its upgrade of the lake at `path` has begun (the
    /// old table renamed `tracking_v1`), however long the process took to start; returns whether
    /// the upgrade was left part-way. Watched from a thread of its own: the suite's busy
    /// cooperative pool could see the table only once the upgrade was over.
    static func kill(_ migrate: Process, delay: Int, afterTheUpgradeOf path: String) async throws -> Bool {
        try await offloaded {
            let lake = try DatabaseQueue(path: path)
            // Asked of sqlite_master itself: GRDB's schema cache would not see another process's rename.
            let inProgress = { try lake.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master WHERE name = 'tracking_v1'") == 1 } }
            while migrate.isRunning, try !inProgress() { usleep(2_000) }
            usleep(useconds_t(delay * 1_000))
            Foundation.kill(migrate.processIdentifier, SIGKILL)
            migrate.waitUntilExit()
            return try inProgress()
        }
    }
}

/// Events in a lake of layout 1, written with that layout's own statements (fixed here, as the
/// release before the typed lake created them): generated traffic in writes of varied sizes,
/// positions with gaps between writes, extra fields, one event whose ts cannot be read, one
/// rejected row, and an AUTOINCREMENT counter past the last row.
struct LayoutOneFixture {
    static let identity = "sqlite:layout-one-fixture"
    static let sequence: Int64 = 9_000_000

    var rows: [(position: Int64, receivedAt: Int64, event: RawEvent)] = []
    var lastPosition: Int64 { rows.last?.position ?? 0 }

    init(events: Int) {
        var generator = TrafficGenerator(seed: 42)
        var position: Int64 = 0
        var receivedAt: Int64 = 1_764_400_000_000
        while rows.count < events {
            let size = min(events - rows.count, 1 + Int(receivedAt % 997))
            position += 1 + receivedAt % 3  // a gap of 0 to 2 before each write
            for _ in 0..<size {
                guard var event = try? TrackingCSVLayout.standard.event(from: generator.nextRow(arrivingAt: receivedAt)).get() else { continue }
                if rows.count % 97 == 0 { event.extra = ["utm_extra": "x\(rows.count)"] }
                if rows.count == 10 { event[.ts] = "yesterday" }
                rows.append((position, receivedAt, event))
                position += 1
            }
            position -= 1
            receivedAt += 1_234
        }
    }

    func write(to path: String) async throws {
        let database = try SQLiteDatabase(path: path)
        let columns = TrackingField.columnNames
        try await database.write { session in
            _ = try session.execute(
                """
                CREATE TABLE tracking (position INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL, \
                \(columns.map { "\($0) TEXT" }.joined(separator: ", ")), extra TEXT)
                """)
            _ = try session.execute(
                """
                CREATE TABLE quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, received_at INTEGER NOT NULL, origin TEXT NOT NULL, \
                location INTEGER NOT NULL, reason TEXT NOT NULL, raw TEXT NOT NULL)
                """)
            _ = try session.execute("CREATE TABLE lake_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            _ = try session.execute("INSERT INTO lake_meta (name, value) VALUES ('identity', ?)", [.text(Self.identity)])
            _ = try session.execute("INSERT INTO quarantine (received_at, origin, location, reason, raw) VALUES (1, 'old.csv', 3, 'ts is missing', 'a,b')")
            let insert =
                "INSERT INTO tracking (position, received_at, \(columns.joined(separator: ", ")), extra) VALUES ("
                + Array(repeating: "?", count: columns.count + 3).joined(separator: ", ") + ")"
            for row in rows {
                let extra: SQLValue =
                    row.event.extra.isEmpty
                    ? .null
                    : .text(String(decoding: try JSONEncoder().encode(row.event.extra), as: UTF8.self))
                _ = try session.execute(insert, [.int(row.position), .int(row.receivedAt)] + row.event.values.map { $0.map(SQLValue.text) ?? .null } + [extra])
            }
            _ = try session.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'tracking'", [.int(Self.sequence)])
        }
        try await database.close()
    }

    /// `lake` holds exactly these events, at their positions, with their arrival times, typed as
    /// the rules type them. (Compared on a thread of its own: for a large fixture the comparison
    /// would hold one of the few threads the tests running beside it share.)
    func expectHeld(by lake: SQLiteLake, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let records = try await lake.read(after: nil, limit: .max)
        let typed = try await lake.readNormalized(after: nil, limit: .max)
        let rows = rows
        let (differing, firstDiffering, typedMatch) = try await offloaded {
            let differing = zip(records, rows).filter {
                $0.position.token != String($1.position) || $0.receivedAt != $1.receivedAt || $0.event != $1.event
            }
            let typedMatch =
                typed.map(\.position.token) == rows.map { String($0.position) }
                && typed.map(\.event) == rows.map { AdmittedEvent($0.event).normalized }
            return (differing.count, differing.first?.0.position.token, typedMatch)
        }
        // Counts after a position, also one in a gap between writes, as the rows are.
        for index in stride(from: 0, to: rows.count, by: max(1, rows.count / 40)) {
            for position in [rows[index].position, rows[index].position + 1] {
                let expected = rows.count - (rows.firstIndex { $0.position > position } ?? rows.count)
                #expect(try await lake.count(after: LakePosition(String(position))) == expected, "after \(position)", sourceLocation: sourceLocation)
            }
        }
        #expect(try await lake.count(after: nil) == rows.count, sourceLocation: sourceLocation)
        #expect(records.count == rows.count, sourceLocation: sourceLocation)
        #expect(differing == 0, "\(differing) events differ, first at \(firstDiffering ?? "")", sourceLocation: sourceLocation)
        #expect(typedMatch, "typed values and positions as the rules give them", sourceLocation: sourceLocation)
    }
}

import CQLClient
import Synchronization

// Upgrading a keyspace of layout 1 (the releases before the typed lake: `tracking` with only the
// raw text columns, `lake_meta` without `layout`) to layout 2, in place, when `jobpulse migrate`
// opens it. Every event keeps its bucket and `ingest_id`, so a warehouse's committed position
// still names the same events. The steps, each safe to interrupt and resumed by running migrate
// again:
//
// 1. each missing column is added with `ALTER TABLE … ADD`;
// 2. every event's typed values are computed from its raw fields and written, by the path of
//    `jobpulse reprocess`, which finds nothing left to write for the events a previous run reached;
// 3. `lake_meta.layout` is set to 2.
//
// Until the last step the lake is of layout 1 and every other command refuses to open it: its
// events have no typed values for the ETL to read yet.

extension LakeSetup {
    /// Reads the lake's `lake_meta` row, first giving a keyspace of layout 1 the columns of layout
    /// 2 when `upgrading` (step 1). A layout this release cannot use is an error: an earlier one
    /// unless `upgrading`, a later one always.
    func readMeta(upgrading: Bool) async throws -> LakeMeta {
        let missing = try await missingColumns()
        if !missing.isEmpty {
            guard upgrading else { throw needsUpgrade(layout: 1) }
            try await add(missing)
        }
        let meta = try await readOrCreateMeta()
        if meta.layout > CassandraSchema.currentLayout {
            throw StorageError.newerLayout(kind: lakeDescription, path: configuration.description, layout: meta.layout)
        }
        if meta.layout < CassandraSchema.currentLayout, !upgrading { throw needsUpgrade(layout: meta.layout) }
        return meta
    }

    /// Step 3: from now on the lake is of the current layout.
    func recordLayout() async throws {
        _ = try await run("recording layout \(CassandraSchema.currentLayout) in \(schema.lakeMeta)") {
            try await session.query(schema.recordLayout, [.int(Int32(CassandraSchema.currentLayout)), .text(CassandraSchema.metaRowID)])
        }
    }

    private var lakeDescription: String { "lake in keyspace \(schema.keyspace)" }

    private func needsUpgrade(layout: Int) -> StorageError {
        .needsUpgrade(kind: lakeDescription, path: configuration.description, layout: layout)
    }

    /// The columns of ``CassandraSchema/upgradeColumns`` that the keyspace's tables lack.
    private func missingColumns() async throws -> [CassandraSchema.Column] {
        var existing: [String: Set<String>] = [:]
        var missing: [CassandraSchema.Column] = []
        for column in CassandraSchema.upgradeColumns {
            if existing[column.table] == nil { existing[column.table] = try await columns(of: column.table) }
            if existing[column.table]?.contains(column.name) != true { missing.append(column) }
        }
        return missing
    }

    private func columns(of table: String) async throws -> Set<String> {
        let rows = try await run("listing the columns of \(schema.keyspace).\(table)") {
            try await session.queryPage(CassandraSchema.existingColumns, [.text(schema.keyspace), .text(table)])
        }
        return Set(rows.rows.compactMap { try? $0.decode(String.self, column: "column_name") })
    }

    /// Adds `columns` one by one, waiting for the nodes to agree after each: the next statement
    /// may go to another node. A column that an ALTER failed to add but that the schema tables
    /// then show (another migrate added it meanwhile) counts as added.
    private func add(_ columns: [CassandraSchema.Column]) async throws {
        for column in columns {
            do {
                try await session.query(schema.addColumn(column))
            } catch {
                await waitForSchemaAgreement()
                guard try await self.columns(of: column.table).contains(column.name) else {
                    throw CassandraLakeError.statementFailed(
                        action: "adding column \(column.name) to \(schema.keyspace).\(column.table)", underlying: error)
                }
            }
            await waitForSchemaAgreement()
        }
        logger.info(
            "cassandra lake upgrade: columns added",
            metadata: [
                "keyspace": "\(schema.keyspace)", "columns": "\(columns.map { "\($0.table).\($0.name)" }.joined(separator: ", "))",
            ])
    }
}

extension CassandraLake {
    /// Steps 2 and 3 of an upgrade: types every event from its raw fields, then records the
    /// current layout. Says how far it is every ten seconds.
    func completeUpgrade(_ setup: LakeSetup) async throws {
        logger.info("cassandra lake upgrade: typing every event", metadata: ["keyspace": "\(configuration.keyspace)"])
        let progress = ProgressThrottle(every: .seconds(10))
        let report = try await reprocess { [logger = self.logger] events in
            if progress.isDue() { logger.info("cassandra lake upgrade: \(events) events typed so far") }
        }
        try await setup.recordLayout()
        logger.info(
            "cassandra lake upgraded",
            metadata: [
                "keyspace": "\(configuration.keyspace)", "layout": "\(CassandraSchema.currentLayout)",
                "events": "\(report.events)", "events_written": "\(report.changed)",
            ])
    }
}

/// Says yes at most once per `interval`: for progress lines of long work.
final class ProgressThrottle: Sendable {
    private let interval: Duration
    private let last = Mutex(ContinuousClock.now)

    init(every interval: Duration) {
        self.interval = interval
    }

    func isDue() -> Bool {
        last.withLock { last in
            guard ContinuousClock.now - last >= interval else { return false }
            last = .now
            return true
        }
    }
}

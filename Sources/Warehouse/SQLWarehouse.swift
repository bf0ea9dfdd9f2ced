import Foundation
import JobPulseClock
import JobPulseCore

/// The warehouse in an SQL database: one implementation for every dialect, with the differences
/// confined to ``SQLDialect``.
public struct SQLWarehouse: Warehouse {
    public let database: any SQLDatabase
    /// Lease times, commit times and the gauges' "today" are read from it.
    public let clock: WallClock
    public var kind: String { database.dialect.rawValue }
    var dialect: SQLDialect { database.dialect }

    public init(database: any SQLDatabase, clock: WallClock = .system) {
        self.database = database
        self.clock = clock
    }

    public func migrate() async throws {
        let statements = WarehouseSchema.statements(dialect)
        let added = WarehouseSchema.addedColumns(dialect)
        let dialect = self.dialect
        try await database.write { session in
            for statement in statements { try session.execute(statement, []) }
            for (table, column, definition) in added where try !dialect.hasColumn(table: table, column: column, in: session) {
                try session.execute("ALTER TABLE \(table) ADD COLUMN \(column) \(definition)", [])
            }
            for (table, index) in WarehouseSchema.droppedIndexes where try dialect.hasIndex(table: table, index: index, in: session) {
                try session.execute(dialect == .sqlite ? "DROP INDEX \(index)" : "ALTER TABLE \(table) DROP INDEX \(index)", [])
            }
        }
    }

    public func close() async throws { try await database.close() }

    // MARK: Job dimension

    public func upsertJobs(_ jobs: [JobRecord]) async throws {
        guard !jobs.isEmpty else { return }
        let columns = ["job_id", "company_id", "group_id", "campaign_id"] + JobRecord.textColumns + ["imported_at"]
        let upsert = dialect.upsert(
            table: "job", columns: columns, key: ["job_id"],
            assignments: columns.dropFirst().map { ($0, "NEW(\($0))") }
        )
        let refresh = "UPDATE events SET company_id = ?, updated_at = ? WHERE job_id = ? AND NOT (company_id \(dialect.nullSafeEquals) ?)"
        let now = Timestamp.sql(clock.now)
        try await database.write { session in
            for job in jobs {
                var values: [SQLValue] = [.int(Int64(job.jobID)), SQLValue(job.companyID), SQLValue(job.groupID), SQLValue(job.campaignID)]
                values += JobRecord.textColumns.map { SQLValue(job.text[$0]) }
                values.append(.text(now))
                try session.execute(upsert, values)
                try session.execute(refresh, [SQLValue(job.companyID), .text(now), .int(Int64(job.jobID)), SQLValue(job.companyID)])
            }
        }
    }

    public func jobCount() async throws -> Int {
        try await database.read { session in Int(try session.query("SELECT COUNT(*) FROM job")[0][0].int ?? 0) }
    }

    public func companyIDs(forJobs jobIDs: [Int32]) async throws -> [Int32: Int32] {
        guard !jobIDs.isEmpty else { return [:] }
        return try await database.read { session in
            var result: [Int32: Int32] = [:]
            for chunk in stride(from: 0, to: jobIDs.count, by: 500).map({ jobIDs[$0..<min($0 + 500, jobIDs.count)] }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                let rows = try session.query(
                    "SELECT job_id, company_id FROM job WHERE company_id IS NOT NULL AND job_id IN (\(marks))",
                    chunk.map { .int(Int64($0)) }
                )
                for row in rows {
                    if let job = row[0].int, let company = row[1].int { result[Int32(job)] = Int32(company) }
                }
            }
            return result
        }
    }

    // MARK: Exactly-once commit

    static let stateColumns = """
        source, position, updated_at, lake_identity, lease_owner, lease_expires_at, batches, events_total, \
        funnel_total, other_total, last_batch_events, last_batch_grains, last_batch_ms, last_batch_at, newest_event_ms, \
        unusable_total, last_unusable_position
        """

    static func readState(_ session: any SQLSession, source: String) throws -> ETLState? {
        guard let r = try session.query("SELECT \(stateColumns) FROM etl_state WHERE source = ?", [.text(source)]).first else {
            return nil
        }
        return ETLState(
            source: r[0].text ?? source, position: r[1].text, updatedAt: r[2].text ?? "", lakeIdentity: r[3].text ?? "",
            leaseOwner: r[4].text, leaseExpiresAt: r[5].int, batches: r[6].int ?? 0, eventsTotal: r[7].int ?? 0,
            funnelTotal: r[8].int ?? 0, otherTotal: r[9].int ?? 0, lastBatchEvents: r[10].int, lastBatchGrains: r[11].int,
            lastBatchMilliseconds: r[12].int, lastBatchAt: r[13].text, newestEventTime: r[14].int,
            unusableTotal: r[15].int ?? 0, lastUnusablePosition: r[16].text
        )
    }

    public func state(source: String) async throws -> ETLState? {
        try await database.read { session in try Self.readState(session, source: source) }
    }

    public func acquireLease(source: String, lakeIdentity: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        let create = try CommitStatements.statement("create-state", dialect)
        let take = try CommitStatements.statement("take-lease", dialect)
        return try await database.write { session in
            let now = clock.now
            try Self.run(
                create, "create-state", ["source": .text(source), "now": .text(Timestamp.sql(now)), "lake_identity": .text(lakeIdentity)],
                in: session)
            guard let current = try Self.readState(session, source: source) else {
                throw WarehouseError.leaseLost(source: source, owner: owner)
            }
            guard current.lakeIdentity == lakeIdentity else {
                throw WarehouseError.lakeMismatch(source: source, recorded: current.lakeIdentity, offered: lakeIdentity)
            }
            try Self.run(
                take, "take-lease", ["owner": .text(owner), "expires_at": .int(now + ttlMilliseconds), "source": .text(source), "now": .int(now)],
                in: session)
            guard let updated = try Self.readState(session, source: source), updated.leaseOwner == owner else {
                throw WarehouseError.leaseHeld(source: source, owner: current.leaseOwner ?? "?", expiresAt: current.leaseExpiresAt ?? now)
            }
            return updated
        }
    }

    public func takeOverLease(source: String, from holder: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        let takeOver = try CommitStatements.statement("take-over-lease", dialect)
        return try await database.write { session in
            let now = clock.now
            try Self.run(
                takeOver, "take-over-lease",
                ["owner": .text(owner), "expires_at": .int(now + ttlMilliseconds), "source": .text(source), "holder": .text(holder)],
                in: session)
            guard let updated = try Self.readState(session, source: source), updated.leaseOwner == owner else {
                let current = try Self.readState(session, source: source)
                throw WarehouseError.leaseHeld(source: source, owner: current?.leaseOwner ?? "?", expiresAt: current?.leaseExpiresAt ?? now)
            }
            return updated
        }
    }

    public func releaseLease(source: String, owner: String) async throws {
        let release = try CommitStatements.statement("release-lease", dialect)
        _ = try await database.write { session in
            try Self.run(release, "release-lease", ["source": .text(source), "owner": .text(owner)], in: session)
        }
    }

    /// Runs a commit statement with its parameters bound by name; returns the rows it changed.
    @discardableResult
    static func run(_ statement: CommitStatement, _ name: String, _ values: [String: SQLValue], in session: any SQLSession) throws -> Int {
        try session.execute(statement.text, try statement.arguments(values, statement: name))
    }

    static func mergeValues(_ delta: GrainDelta, source: String, now: String) -> [SQLValue] {
        let g = delta.grain, m = delta.metrics
        return [
            .int(Int64(g.jobID)), .text(g.hour.date), .int(Int64(g.hour.hour)), .int(Int64(g.publisherID)),
            .int(Int64(g.campaignID)), .int(Int64(g.groupID)), .text(g.hour.sqlDateTime), SQLValue(delta.companyID),
            .int(m.clicks), .int(m.conversions), .int(m.qualified), .int(m.unqualified), .int(m.spendMicros),
            .double(m.spend), .double(m.averageBid), .text(source), .text(now),
        ]
    }

    public func commit(_ batch: BatchCommit, checkpoint: @escaping @Sendable (BatchStep) throws -> Void) async throws {
        let merge = try CommitStatements.statement("merge-events", dialect).text
        let advance = try CommitStatements.statement("advance-position", dialect)
        try await database.write { session in
            let nowMillis = clock.now
            let now = Timestamp.sql(nowMillis)
            var merged = 0
            for rows in MergeRows.plan(batch.deltas.count) {
                let grains = batch.deltas[merged..<merged + rows]
                try session.execute(
                    MergeRows.expand(merge, rows: rows),
                    grains.flatMap { Self.mergeValues($0, source: batch.source, now: now) })
                merged += rows
            }
            try checkpoint(.deltasMerged)
            let newest: SQLValue = batch.newestEventTime.map { .int($0) } ?? .null
            let changed = try Self.run(
                advance, "advance-position",
                [
                    "position": .text(batch.to), "now": .text(now), "events": .int(Int64(batch.events)),
                    "funnel": .int(Int64(batch.funnel)), "other": .int(Int64(batch.other)), "unusable": .int(Int64(batch.unusable)),
                    "last_unusable": SQLValue(batch.lastUnusablePosition), "grains": .int(Int64(batch.deltas.count)),
                    "milliseconds": .int(batch.elapsedMilliseconds), "newest_event_ms": newest,
                    "source": .text(batch.source), "owner": .text(batch.owner), "start": SQLValue(batch.from),
                ], in: session)
            if changed != 1 {
                let current = try Self.readState(session, source: batch.source)
                if current?.leaseOwner != batch.owner { throw WarehouseError.leaseLost(source: batch.source, owner: batch.owner) }
                throw WarehouseError.positionMoved(source: batch.source, expected: batch.from, found: current?.position)
            }
            try checkpoint(.positionWritten)
        }
    }

    // MARK: Reading

    public func factCount() async throws -> Int {
        try await database.read { session in Int(try session.query("SELECT COUNT(*) FROM events")[0][0].int ?? 0) }
    }

    public func facts() async throws -> [FactRow] {
        try await database.read { session in
            try session.query(
                """
                SELECT job_id, dates, hours, publisher_id, campaign_id, group_id, clicks, conversion,
                       qualified_application, disqualified_application, spend_micros, company_id, spend_hour, bid_set, sources
                FROM events ORDER BY dates, hours, job_id, publisher_id, campaign_id, group_id
                """
            ).map { r in
                FactRow(
                    grain: Grain(
                        jobID: Int32(r[0].int ?? 0), hour: UTCHour(date: r[1].text ?? "", hour: Int(r[2].int ?? 0))!,
                        publisherID: Int32(r[3].int ?? 0), campaignID: Int32(r[4].int ?? 0), groupID: Int32(r[5].int ?? 0)),
                    metrics: FunnelMetrics(
                        clicks: r[6].int ?? 0, conversions: r[7].int ?? 0, qualified: r[8].int ?? 0,
                        unqualified: r[9].int ?? 0, spendMicros: r[10].int ?? 0),
                    companyID: r[11].int.map(Int32.init), spendHour: r[12].double ?? 0, bidSet: r[13].double ?? 0,
                    sources: r[14].text ?? ""
                )
            }
        }
    }
}

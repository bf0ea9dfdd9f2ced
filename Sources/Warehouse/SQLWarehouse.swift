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
        let dialect = self.dialect
        try await database.write { session in try WarehouseSchema.migrate(session, dialect: dialect) }
    }

    public func close() async throws { try await database.close() }

    // MARK: Job dimension

    public func upsertJobs(_ jobs: [JobRecord]) async throws {
        guard !jobs.isEmpty else { return }
        let upsert = try WarehouseSQL.statement("upsert-job", dialect)
        let refresh = try WarehouseSQL.statement("refresh-company", dialect)
        let clearBudget = try WarehouseSQL.statement("clear-job-export-budget", dialect)
        let defaultBudget = try WarehouseSQL.statement("default-job-budget", dialect)
        let nowMillis = clock.now
        let now = SQLValue.text(Timestamp.sql(nowMillis))
        try await database.write { session in
            for job in jobs {
                var values: [String: SQLValue] = [
                    "job_id": .int(Int64(job.jobID)), "company_id": SQLValue(job.companyID), "group_id": SQLValue(job.groupID),
                    "campaign_id": SQLValue(job.campaignID), "imported_at": now, "now": now,
                ]
                for column in JobRecord.textColumns { values[column] = SQLValue(job.text[column]) }
                try Self.run(upsert, "upsert-job", values, in: session)
                try Self.run(refresh, "refresh-company", values, in: session)
                try Self.run(clearBudget, "clear-job-export-budget", values, in: session)
                if let budget = job.exportBudget(importedAt: nowMillis) {
                    try Self.run(defaultBudget, "default-job-budget", values.merging(Self.budgetValues(budget)) { $1 }, in: session)
                }
            }
        }
    }

    public func jobCount() async throws -> Int {
        try await database.read { session in Int(try session.query("SELECT COUNT(*) AS jobs FROM job")[0].int("jobs")) }
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
                for row in rows { result[try row.int32("job_id")] = try row.int32("company_id") }
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
            source: try r.text("source"), position: try r.optionalText("position"), updatedAt: try r.text("updated_at"),
            lakeIdentity: try r.text("lake_identity"), leaseOwner: try r.optionalText("lease_owner"),
            leaseExpiresAt: try r.optionalInt("lease_expires_at"), batches: try r.int("batches"), eventsTotal: try r.int("events_total"),
            funnelTotal: try r.int("funnel_total"), otherTotal: try r.int("other_total"),
            lastBatchEvents: try r.optionalInt("last_batch_events"), lastBatchGrains: try r.optionalInt("last_batch_grains"),
            lastBatchMilliseconds: try r.optionalInt("last_batch_ms"), lastBatchAt: try r.optionalText("last_batch_at"),
            newestEventTime: try r.optionalInt("newest_event_ms"), unusableTotal: try r.int("unusable_total"),
            lastUnusablePosition: try r.optionalText("last_unusable_position")
        )
    }

    public func state(source: String) async throws -> ETLState? {
        try await database.read { session in try Self.readState(session, source: source) }
    }

    public func acquireLease(source: String, lakeIdentity: String, owner: String, ttlMilliseconds: Int64) async throws -> ETLState {
        let create = try WarehouseSQL.statement("create-state", dialect)
        let take = try WarehouseSQL.statement("take-lease", dialect)
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
        let takeOver = try WarehouseSQL.statement("take-over-lease", dialect)
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
        let release = try WarehouseSQL.statement("release-lease", dialect)
        _ = try await database.write { session in
            try Self.run(release, "release-lease", ["source": .text(source), "owner": .text(owner)], in: session)
        }
    }

    /// Runs a commit statement with its parameters bound by name; returns the rows it changed.
    @discardableResult
    static func run(_ statement: SQLStatement, _ name: String, _ values: [String: SQLValue], in session: any SQLSession) throws -> Int {
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
        let merge = try WarehouseSQL.statement("merge-events", dialect).text
        let advance = try WarehouseSQL.statement("advance-position", dialect)
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

    /// The rows of `events`, as the all-time rollup counts them: a sum over publisher and
    /// campaign pairs instead of a count of every row, so `/healthz` reads as many rows with a
    /// year of history as with a day.
    public func factCount() async throws -> Int {
        try await database.read { session in
            Int(try session.query("SELECT COALESCE(SUM(r.grains), 0) AS grains FROM rollup_pair r")[0].int("grains"))
        }
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
                guard let hour = UTCHour(date: String(try r.text("dates").prefix(10)), hour: Int(try r.int("hours"))) else {
                    throw WarehouseError.unreadableHour(date: try r.text("dates"), hour: try r.int("hours"))
                }
                return FactRow(
                    grain: Grain(
                        jobID: try r.int32("job_id"), hour: hour, publisherID: try r.int32("publisher_id"),
                        campaignID: try r.int32("campaign_id"), groupID: try r.int32("group_id")),
                    metrics: FunnelMetrics(
                        clicks: try r.int("clicks"), conversions: try r.int("conversion"), qualified: try r.int("qualified_application"),
                        unqualified: try r.int("disqualified_application"), spendMicros: try r.int("spend_micros")),
                    companyID: try r.optionalInt32("company_id"), spendHour: try r.double("spend_hour"), bidSet: try r.double("bid_set"),
                    sources: try r.text("sources")
                )
            }
        }
    }
}

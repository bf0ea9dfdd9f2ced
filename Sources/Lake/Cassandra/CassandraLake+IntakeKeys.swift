import CQLClient
import Foundation
import JobPulseClock
import JobPulseCore

/// Ingest ids made at one instant for some rows of a keyed intake: the row at `rows[k]` (an
/// index into the intake's events followed by its rejections; every row when `rows` is `nil`)
/// got the id `first` advanced by `k` ticks, as ``IngestIDGenerator`` makes consecutive ids.
struct IntakePlan: Sendable, Hashable, Codable {
    var first: UUID
    /// The instant of the ids, epoch milliseconds: the rows' `received_at` and quarantine day.
    var at: Int64
    var rows: [Int]?

    func ids(total: Int) -> [(row: Int, id: TimeUUID)] {
        guard let first = TimeUUID(first) else { return [] }
        let tail = withUnsafeBytes(of: first.uuid.uuid) { Array($0[8..<16]) }
        return (rows ?? Array(0..<total)).enumerated().map { offset, row in
            (row, TimeUUID(timestamp: first.timestamp + Int64(offset), tail: tail))
        }
    }
}

/// A row of `intake_keys`.
struct IntakeClaim: Sendable {
    var owner: UUID
    var claimedAt: Int64
    var plans: [IntakePlan]
    var receipt: IntakeReceipt
    var done: Bool
}

/// Keyed writes. Cassandra cannot write an intake's rows and its key atomically, so the key is
/// a claim, taken and moved on only by lightweight transactions (serial consistency):
///
/// 1. `INSERT … IF NOT EXISTS` claims the key for this collector (`owner`), recording the receipt
///    and the plan of ingest ids made for every row now (`claimed_at`).
/// 2. The owner sends the rows with those ids, but no batch once `claim_lease_seconds` have
///    passed since `claimed_at`: rows stay within the ETL's safety lag of their ids' time.
/// 3. `UPDATE … IF owner = me` marks the key done. Only now is the intake answered as stored.
///
/// A write that finds the key done is answered with its receipt and stores nothing. One that
/// finds it pending, claimed less than `claim_takeover_seconds` ago, is told to retry
/// (``IntakeKeyError/inProgress``): the owner may still be sending. After that, every batch the
/// owner sent has landed or never will (the owner stopped at the lease, and the rest of the time
/// covers a batch in flight), so the writer reads which planned rows exist, makes NEW ids, at
/// the present, for the missing ones, and takes the claim over with one `UPDATE … IF owner =
/// <previous owner>` that also records that plan: of several collectors racing, one wins, the
/// others are told to retry. The winner sends the missing rows under the same lease and marks
/// the key done. Re-sending with the old ids instead could put rows behind a position the ETL
/// has already committed (their ids are older than the safety lag), so they would be lost.
/// Rows are never written twice: each row is planned in exactly one plan that is still sent,
/// and a plan is only replaced for rows found missing once its sender has stopped.
extension CassandraLake {
    func writeKeyed(_ intake: LakeWrite, key: IntakeKey) async throws -> LakeWriteOutcome {
        let total = intake.events.count + intake.rejections.count
        let receipt = intake.receipt
        let owner = UUID()
        let now = clock.now
        let ids = ingestIDs.next(total, atUnixMilliseconds: now)
        let plans = ids.first.map { [IntakePlan(first: $0.uuid, at: now, rows: nil)] } ?? []
        let claim = IntakeClaim(owner: owner, claimedAt: now, plans: plans, receipt: receipt, done: total == 0)
        guard let existing = try await insertClaim(claim, key: key) else {
            try await send(intake, rows: Array(0..<total), ids: ids, receivedAt: now, sendUntil: now + configuration.claimLeaseMilliseconds)
            try await complete(claim, key: key)
            return .stored
        }
        if existing.done { return .replayed(existing.receipt) }
        guard existing.receipt == receipt else { throw IntakeKeyError.reusedForOtherContent(key) }
        let age = now - existing.claimedAt
        guard age >= configuration.claimTakeoverMilliseconds else {
            throw IntakeKeyError.inProgress(key, retryAfter: .milliseconds(configuration.claimTakeoverMilliseconds - age))
        }

        let present = try await plannedRowsPresent(existing.plans, intake: intake)
        let missing = (0..<total).filter { !present.contains($0) }
        let newIDs = ingestIDs.next(missing.count, atUnixMilliseconds: now)
        var takeover = IntakeClaim(owner: owner, claimedAt: now, plans: existing.plans, receipt: receipt, done: missing.isEmpty)
        if let first = newIDs.first { takeover.plans.append(IntakePlan(first: first.uuid, at: now, rows: missing)) }
        guard try await updateClaim(takeover, key: key, ifOwner: existing.owner) else {
            throw IntakeKeyError.inProgress(key, retryAfter: .milliseconds(configuration.claimTakeoverMilliseconds))
        }
        logger.info(
            "took over a pending intake key",
            metadata: [
                "key": "\(key)", "rows_present": "\(present.count)", "rows_missing": "\(missing.count)",
            ])
        if !missing.isEmpty {
            try await send(intake, rows: missing, ids: newIDs, receivedAt: now, sendUntil: now + configuration.claimLeaseMilliseconds)
            try await complete(takeover, key: key)
        }
        return .replayed(receipt)
    }

    /// Marks the key done, if this collector still holds it; otherwise the one that took it over
    /// completes it, and this write is told to retry.
    private func complete(_ claim: IntakeClaim, key: IntakeKey) async throws {
        guard !claim.done else { return }
        var done = claim
        done.done = true
        guard try await updateClaim(done, key: key, ifOwner: claim.owner) else {
            throw IntakeKeyError.inProgress(key, retryAfter: .milliseconds(configuration.claimTakeoverMilliseconds))
        }
    }

    /// The rows (indexes into events then rejections) whose planned id some plan's partition
    /// holds: a range read per bucket of events and per quarantine day.
    private func plannedRowsPresent(_ plans: [IntakePlan], intake: LakeWrite) async throws -> Set<Int> {
        let total = intake.events.count + intake.rejections.count
        var present: Set<Int> = []
        let options = CQLQueryOptions(consistency: configuration.consistency, isIdempotent: true)
        for plan in plans {
            let planned = plan.ids(total: total)
            var ranges: [(statement: CQLPreparedStatement, partition: CQLValue, rows: [(row: Int, id: TimeUUID)])] = []
            for (bucket, rows) in Dictionary(grouping: planned.filter { $0.row < intake.events.count }, by: { layout.bucket(of: $0.id) }) {
                ranges.append((statements.selectEventIDs, .bigint(bucket), rows))
            }
            let rejections = planned.filter { $0.row >= intake.events.count }
            if !rejections.isEmpty {
                ranges.append((statements.selectRejectionIDs, Self.dayValue(TimeUUID.floorDivide(plan.at, 86_400_000)), rejections))
            }
            for range in ranges {
                let ids = range.rows.map(\.id)
                let values: [CQLValue] = [range.partition, .timeuuid(ids.min()!.uuid), .timeuuid(ids.max()!.uuid)]
                var found: Set<UUID> = []
                do {
                    for try await row in session.executePages(range.statement, values, options: options).rows {
                        if case .timeuuid(let id)? = row.values.first { found.insert(id) }
                    }
                } catch {
                    throw CassandraLakeError.statementFailed(action: "reading which rows of a pending intake are stored", underlying: error)
                }
                for entry in range.rows where found.contains(entry.id.uuid) { present.insert(entry.row) }
            }
        }
        return present
    }

    /// Claims `key`; `nil` when the claim was applied, else the claim already there.
    private func insertClaim(_ claim: IntakeClaim, key: IntakeKey) async throws -> IntakeClaim? {
        var values = [CQLValue.text(key.text)]
        values += try claimValues(claim)
        values.append(keyTTL)
        let row = try await conditional(statements.insertClaim, values, action: "claiming intake key \(key)")
        if try row.decode(Bool.self, column: "[applied]") { return nil }
        return try decodeClaim(row)
    }

    /// Replaces the claim if `owner` still holds it; whether it did.
    private func updateClaim(_ claim: IntakeClaim, key: IntakeKey, ifOwner owner: UUID) async throws -> Bool {
        let values = [keyTTL] + (try claimValues(claim)) + [.text(key.text), .uuid(owner)]
        let row = try await conditional(statements.updateClaim, values, action: "moving on the claim of intake key \(key)")
        return try row.decode(Bool.self, column: "[applied]")
    }

    /// owner, claimed_at, plans, receipt, done: the columns in the statements' order.
    private func claimValues(_ claim: IntakeClaim) throws -> [CQLValue] {
        [
            .uuid(claim.owner), .timestamp(claim.claimedAt),
            .text(String(decoding: try JSONEncoder.sorted.encode(claim.plans), as: UTF8.self)),
            .text(String(decoding: try JSONEncoder.sorted.encode(claim.receipt), as: UTF8.self)), .boolean(claim.done),
        ]
    }

    /// Every write of a key restarts its TTL: the key is remembered for the window after its
    /// last change.
    private var keyTTL: CQLValue { .int(Int32(clamping: configuration.keyWindowMilliseconds / 1000)) }

    private func conditional(_ statement: CQLPreparedStatement, _ values: [CQLValue], action: String) async throws -> CQLRow {
        let options = CQLQueryOptions(consistency: configuration.consistency, serialConsistency: .serial)
        let page: CQLRows
        do {
            page = try await session.executePage(statement, values, options: options)
        } catch {
            throw CassandraLakeError.statementFailed(action: action, underlying: error)
        }
        guard let row = page.rows.first else {
            throw CassandraLakeError.malformedRow(table: schema.intakeKeys, reason: "a conditional statement returned no row")
        }
        return row
    }

    private func decodeClaim(_ row: CQLRow) throws -> IntakeClaim {
        guard case .uuid(let owner)? = row["owner"], case .timestamp(let claimedAt)? = row["claimed_at"] else {
            throw CassandraLakeError.malformedRow(table: schema.intakeKeys, reason: "owner or claimed_at is missing")
        }
        do {
            return IntakeClaim(
                owner: owner, claimedAt: claimedAt,
                plans: try JSONDecoder().decode([IntakePlan].self, from: Data(try row.decode(String.self, column: "plans").utf8)),
                receipt: try JSONDecoder().decode(IntakeReceipt.self, from: Data(try row.decode(String.self, column: "receipt").utf8)),
                done: (try? row.decode(Bool.self, column: "done")) ?? false)
        } catch {
            throw CassandraLakeError.malformedRow(table: schema.intakeKeys, reason: "\(error)")
        }
    }
}

import CQLClient
import CassandraStandIn
import Foundation
import JobPulseClock
import JobPulseCore
import JobPulseTestSupport
import Testing

@testable import JobPulseLake

/// Keyed writes on the Cassandra lake against the stand-in: the claim, the replay, and a write
/// interrupted part-way that a retry completes with every row exactly once.
@Suite(.timeLimit(.minutes(10))) struct CassandraIntakeKeyTests {
    let t0 = StandInCluster.start
    static let options = "safety_lag_seconds=5&claim_lease_seconds=4&claim_takeover_seconds=20"

    /// `count` events with ids `e0`…, and one rejected row.
    func intake(_ count: Int) -> IntakeBatch {
        var batch = IntakeBatch(origin: "http")
        for index in 0..<count { batch.admit(RawEvent.with([.ts: "1764410400000", .id: "e\(index)"]), location: index, raw: { "" }) }
        batch.admit(RawEvent.with([.id: "bad"]), location: count, raw: { "{}" })
        return batch
    }

    func storedIDs(_ lake: CassandraLake, clock: ManualWallClock) async throws -> [String] {
        clock.advance(seconds: 10)
        return try await lake.read(after: nil, limit: 10_000).compactMap { $0.event[.id] }
    }

    @Test func theSameKeyTwiceStoresOnceAndReplaysTheReceipt() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(Self.options, clock: clock)
        let key = try #require(IntakeKey("k-1"))
        var first = intake(3)
        let stored = try await first.flush(to: lake, key: key, fingerprint: "f")
        #expect(!stored.replayed)
        #expect(stored.receipt.count == IntakeCount(accepted: 3, rejected: 1))

        // A second collector on the same keyspace sees the key.
        let replica = try await cluster.open(Self.options, clock: clock)
        var retry = intake(3)
        let replayed = try await retry.flush(to: replica, key: key, fingerprint: "f")
        #expect(replayed.replayed && replayed.receipt == stored.receipt)
        #expect(try await storedIDs(lake, clock: clock) == ["e0", "e1", "e2"])
        #expect(try await lake.quarantine(limit: 10).total == 1)

        let claims = cluster.executions("INSERT INTO jp.intake_keys")
        #expect(claims.count == 2 && claims.allSatisfy { $0.values.last == .int(86_400) }, "the key window is the claim's TTL")
        #expect(cluster.executions("UPDATE jp.intake_keys").count == 1, "one claim marked done")

        var other = intake(3)
        #expect(try await !other.flush(to: lake, key: #require(IntakeKey("k-2")), fingerprint: "f").replayed)
        #expect(try await storedIDs(lake, clock: clock).count == 6, "another key is another intake")
        await lake.close()
        await replica.close()
        await cluster.stop()
    }

    /// A collector whose lease runs out part-way (here a clock that moves a second each time it
    /// is read: the claim, then one read before each batch) stops sending; the retry that takes
    /// the claim over later writes only the rows that were never sent.
    @Test func aCollectorStopsSendingWhenItsLeaseRunsOut() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let url = try #require(StorageURL(cluster.url("claim_lease_seconds=3&claim_takeover_seconds=10")))
        let lake = try await CassandraLake.open(
            CassandraLakeConfiguration(url: url),
            clock: WallClock {
                clock.advance(seconds: 1)
                return clock.now
            })
        let key = try #require(IntakeKey("slow"))
        var first = intake(600)
        let lapsed = await #expect(throws: CassandraLakeError.self) { try await first.flush(to: lake, key: key, fingerprint: nil) }
        #expect(lapsed?.description.contains("lapsed") == true, "\(String(describing: lapsed))")
        #expect(cluster.node.store.rows(of: "jp.tracking").count == 500, "two batches of 250 went before the lease ran out")

        clock.advance(seconds: 10)
        var retry = intake(600)
        #expect(try await retry.flush(to: lake, key: key, fingerprint: nil).replayed)
        let ids = cluster.node.store.rows(of: "jp.tracking").compactMap { row -> String? in
            if case .text(let id)? = row["id"] { id } else { nil }
        }
        #expect(ids.count == 600 && Set(ids).count == 600)
        #expect(cluster.node.store.rows(of: "jp.quarantine").count == 1)
        await lake.close()
        await cluster.stop()
    }

    @Test func openingALakeCreatedBeforeIntakeKeysAddsTheTable() async throws {
        let cluster = try await StandInCluster.start()
        let schema = CassandraSchema(keyspace: "jp")
        for statement in schema.creationStatements(replication: .simple(factor: 1)) where !statement.contains(schema.intakeKeys) {
            let (parsed, _) = try cluster.node.store.markerTypes(of: statement)
            _ = try cluster.node.store.execute(parsed, text: statement, values: [], pageSize: nil, pagingState: nil)
        }
        #expect(cluster.node.store.tableNames(in: "jp") == ["lake_meta", "quarantine", "tracking"])
        let lake = try await cluster.open(clock: ManualWallClock(t0))
        #expect(cluster.node.store.tableNames(in: "jp") == ["intake_keys", "lake_meta", "quarantine", "tracking"])
        var batch = intake(1)
        #expect(try await !batch.flush(to: lake, key: #require(IntakeKey("after-migration")), fingerprint: nil).replayed)
        await lake.close()
        await cluster.stop()
    }

    @Test func aWriteInterruptedPartWayIsCompletedByARetryWithEveryRowOnce() async throws {
        let cluster = try await StandInCluster.start()
        let clock = ManualWallClock(t0)
        let lake = try await cluster.open(Self.options, clock: clock)
        let replicas = [try await cluster.open(Self.options, clock: clock), try await cluster.open(Self.options, clock: clock)]
        let key = try #require(IntakeKey("interrupted"))

        // 300 events are two batches of one bucket, then the quarantine's: the second batch is
        // applied by the node but its answer is lost, the third never sent.
        cluster.node.failNext(.batch, with: .dropConnectionAfterRunning, skipping: 1)
        var first = intake(300)
        await #expect(throws: CassandraLakeError.self) { try await first.flush(to: lake, key: key, fingerprint: "f") }
        #expect(cluster.node.store.rows(of: "jp.tracking").count == 300)
        #expect(cluster.node.store.rows(of: "jp.quarantine").isEmpty)

        // While the claim is young, its collector may still be sending: a retry is told to wait.
        var early = intake(300)
        let wait = await #expect(throws: IntakeKeyError.self) { try await early.flush(to: replicas[0], key: key, fingerprint: "f") }
        #expect(wait?.description.contains("still being written") == true)
        // Other content under the key can never complete it.
        var otherContent = intake(299)
        await #expect(throws: IntakeKeyError.self) { try await otherContent.flush(to: replicas[0], key: key, fingerprint: "g") }

        // Past the takeover age, two collectors retry at once: one completes the claim, writing
        // only the missing row with a new id; the other is told to wait, then replays.
        clock.advance(seconds: 20)
        let results = await withTaskGroup(of: Result<Bool, any Error>.self) { group in
            for replica in replicas {
                group.addTask {
                    var retry = intake(300)
                    do {
                        return .success(try await retry.flush(to: replica, key: key, fingerprint: "f").replayed)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.contains { (try? $0.get()) == true }, "one retry completes the intake")
        var last = intake(300)
        let final = try await last.flush(to: lake, key: key, fingerprint: "f")
        #expect(final.replayed && final.receipt.count == IntakeCount(accepted: 300, rejected: 1))

        let ids = try await storedIDs(lake, clock: clock)
        #expect(ids.count == 300 && Set(ids).count == 300, "every event exactly once")
        #expect(try await lake.quarantine(limit: 10).total == 1, "the rejected row exactly once")
        #expect(cluster.node.store.rows(of: "jp.intake_keys").first?["done"] == .boolean(true))
        for replica in replicas { await replica.close() }
        await lake.close()
        await cluster.stop()
    }
}

import CQLClient
import Foundation
import JobPulseClock
import Logging

/// What `lake_meta` says about a lake.
struct LakeMeta: Sendable, Hashable {
    var identity: String
    var bucketSeconds: Int64
    var firstBucket: Int64
    /// The layout of the lake's tables (``CassandraSchema/currentLayout``); 1 for a row written
    /// before `lake_meta` recorded it.
    var layout: Int
}

/// Creating the lake's schema and reading (or, once, writing) its `lake_meta` row; upgrading a
/// keyspace of an earlier layout is in `LakeUpgrade.swift`.
struct LakeSetup: Sendable {
    let configuration: CassandraLakeConfiguration
    let schema: CassandraSchema
    let session: any CQLSession
    let clock: WallClock
    let logger: Logger

    func createSchema(_ action: CassandraLake.SchemaAction) async throws {
        if action == .createIfMissing {
            let existing = try await run("listing the tables of keyspace \(schema.keyspace)") {
                try await session.queryPage(CassandraSchema.existingTables, [.text(schema.keyspace)])
            }
            let names = Set(existing.rows.compactMap { try? $0.decode(String.self, column: "table_name") })
            if CassandraSchema.tableNames.allSatisfy(names.contains) { return }
        }
        var changed = false
        for statement in schema.creationStatements(replication: configuration.replication) {
            let result = try await run("creating the lake's schema (\(statement.prefix(while: { $0 != "(" && $0 != "\n" })))") {
                try await session.query(statement)
            }
            if case .schemaChange = result {
                changed = true
                // The next statement may go to another node, which must know this change first.
                await waitForSchemaAgreement()
            }
        }
        if changed {
            logger.info("cassandra lake schema created", metadata: ["keyspace": "\(schema.keyspace)", "replication": "\(configuration.replication)"])
        }
    }

    /// Until every node reports the same schema version, a node may not know the new keyspace,
    /// table or column yet. Waits up to ten seconds, then goes on (a statement that still fails
    /// will say so).
    func waitForSchemaAgreement() async {
        for _ in 0..<50 {
            do {
                let local = try await session.queryPage("SELECT schema_version FROM system.local")
                let peers = try await session.queryPage("SELECT schema_version FROM system.peers")
                let versions = Set((local.rows + peers.rows).compactMap { try? $0.decode(UUID?.self, column: "schema_version") })
                if versions.count <= 1 { return }
            } catch {
                logger.debug("cannot read schema versions", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        logger.warning("the cluster has not agreed on the schema after 10 s; going on")
    }

    /// Writes a new lake's row (identity, bucket size, first bucket, layout) if there is none, and
    /// returns the row that is there. The first bucket is the one before the creation instant's:
    /// events stamped slightly earlier by a writer whose clock lags are still read.
    func readOrCreateMeta() async throws -> LakeMeta {
        let now = clock.now
        let bucketSeconds = configuration.bucketSeconds
        let nowBucket = BucketLayout(bucketSeconds: bucketSeconds, safetyLagMilliseconds: 0).bucket(ofUnixSeconds: now / 1000)
        let proposed = LakeMeta(
            identity: "cassandra:" + UUID().uuidString.lowercased(), bucketSeconds: bucketSeconds, firstBucket: nowBucket - bucketSeconds,
            layout: CassandraSchema.currentLayout)
        let rows = try await run("writing the identity of the lake in \(schema.lakeMeta)") {
            try await session.queryPage(
                schema.insertMeta,
                [
                    .text(CassandraSchema.metaRowID), .text(proposed.identity), .bigint(proposed.bucketSeconds),
                    .bigint(proposed.firstBucket), .timestamp(now), .int(Int32(proposed.layout)),
                ],
                options: CQLQueryOptions(consistency: configuration.consistency, serialConsistency: .serial)
            )
        }
        guard let row = rows.rows.first else {
            throw CassandraLakeError.missingMetadata(keyspace: schema.keyspace, reason: "the conditional insert returned no row")
        }
        let meta: LakeMeta
        if try row.decode(Bool.self, column: "[applied]") {
            meta = proposed
            logger.info("new cassandra lake", metadata: ["identity": "\(meta.identity)", "first_bucket": "\(meta.firstBucket)"])
        } else {
            do {
                meta = LakeMeta(
                    identity: try row.decode(String.self, column: "identity"),
                    bucketSeconds: try row.decode(Int64.self, column: "bucket_seconds"),
                    firstBucket: try row.decode(Int64.self, column: "first_bucket"),
                    layout: try row.decode(Int32?.self, column: "layout").map(Int.init) ?? 1
                )
            } catch {
                throw CassandraLakeError.missingMetadata(keyspace: schema.keyspace, reason: "the row \(CassandraSchema.metaRowID) is incomplete: \(error)")
            }
        }
        guard meta.bucketSeconds > 0, meta.firstBucket % meta.bucketSeconds == 0 else {
            throw CassandraLakeError.missingMetadata(
                keyspace: schema.keyspace, reason: "bucket_seconds \(meta.bucketSeconds) and first_bucket \(meta.firstBucket) do not fit together")
        }
        if configuration.bucketSecondsGiven, meta.bucketSeconds != bucketSeconds {
            throw CassandraLakeError.bucketSizeMismatch(keyspace: schema.keyspace, stored: meta.bucketSeconds, requested: bucketSeconds)
        }
        return meta
    }

    func run<T: Sendable>(_ action: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            throw CassandraLakeError.statementFailed(action: action, underlying: error)
        }
    }
}

/// The lake's statements, prepared once per lake instance (a node that restarts and forgets
/// them gets them again from the client).
struct PreparedStatements: Sendable {
    let insertEvent: CQLPreparedStatement
    let selectEvents: CQLPreparedStatement
    let selectTypedEvents: CQLPreparedStatement
    let selectEventsToReprocess: CQLPreparedStatement
    let updateTypedValues: CQLPreparedStatement
    let countEvents: CQLPreparedStatement
    let insertRejection: CQLPreparedStatement
    let selectRejections: CQLPreparedStatement
    let countRejections: CQLPreparedStatement
    let insertClaim: CQLPreparedStatement
    let updateClaim: CQLPreparedStatement
    let selectEventIDs: CQLPreparedStatement
    let selectRejectionIDs: CQLPreparedStatement

    static func prepare(_ schema: CassandraSchema, on session: any CQLSession) async throws -> PreparedStatements {
        func prepare(_ text: String) async throws -> CQLPreparedStatement {
            do {
                return try await session.prepare(text)
            } catch {
                throw CassandraLakeError.statementFailed(action: "preparing \"\(text.prefix(60))…\"", underlying: error)
            }
        }
        return PreparedStatements(
            insertEvent: try await prepare(schema.insertEvent),
            selectEvents: try await prepare(schema.selectEvents),
            selectTypedEvents: try await prepare(schema.selectTypedEvents),
            selectEventsToReprocess: try await prepare(schema.selectEventsToReprocess),
            updateTypedValues: try await prepare(schema.updateTypedValues),
            countEvents: try await prepare(schema.countEvents),
            insertRejection: try await prepare(schema.insertRejection),
            selectRejections: try await prepare(schema.selectRejections),
            countRejections: try await prepare(schema.countRejections),
            insertClaim: try await prepare(schema.insertClaim),
            updateClaim: try await prepare(schema.updateClaim),
            selectEventIDs: try await prepare(schema.selectEventIDs),
            selectRejectionIDs: try await prepare(schema.selectRejectionIDs)
        )
    }
}

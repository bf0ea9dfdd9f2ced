import CQLClient
import CassandraStandIn
import Foundation
import JobPulseCore

@testable import JobPulseLake

/// A keyspace as the release before the typed lake (layout 1) left it on a stand-in node: its
/// tables created by that release's statements, its `lake_meta` row, and events inserted by its
/// insert (raw text columns only), straight into the node's store. The statements are that
/// release's text, kept here as they were.
package struct PreviousLayoutKeyspace {
    package let store: StandInStore
    package let keyspace: String
    package let layout: BucketLayout
    package let identity: String
    private let ingestIDs = IngestIDGenerator()

    /// Creates the keyspace and its tables, and writes the `lake_meta` row of a lake created at
    /// `now` (epoch milliseconds) with `bucketSeconds`.
    package init(store: StandInStore, keyspace: String = "jp", bucketSeconds: Int64 = 60, now: Int64) throws {
        self.store = store
        self.keyspace = keyspace
        layout = BucketLayout(bucketSeconds: bucketSeconds, safetyLagMilliseconds: 0)
        identity = "cassandra:" + UUID().uuidString.lowercased()
        let fields = TrackingField.columnNames.map { "    \($0) text," }.joined(separator: "\n")
        let creation = [
            "CREATE KEYSPACE IF NOT EXISTS \(keyspace) WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            """
            CREATE TABLE IF NOT EXISTS \(keyspace).tracking (
                bucket bigint,
                ingest_id timeuuid,
                received_at timestamp,
            \(fields)
                extra map<text, text>,
                PRIMARY KEY ((bucket), ingest_id)
            ) WITH CLUSTERING ORDER BY (ingest_id ASC)
                AND compaction = {'class': 'TimeWindowCompactionStrategy', 'compaction_window_unit': 'DAYS', 'compaction_window_size': 1}
            """,
            """
            CREATE TABLE IF NOT EXISTS \(keyspace).quarantine (
                day date,
                id timeuuid,
                received_at timestamp,
                origin text,
                location bigint,
                reason text,
                raw text,
                PRIMARY KEY ((day), id)
            ) WITH CLUSTERING ORDER BY (id DESC)
            """,
            """
            CREATE TABLE IF NOT EXISTS \(keyspace).lake_meta (
                id text PRIMARY KEY,
                identity text,
                bucket_seconds bigint,
                first_bucket bigint,
                created_at timestamp
            )
            """,
            """
            CREATE TABLE IF NOT EXISTS \(keyspace).intake_keys (
                key text PRIMARY KEY,
                owner uuid,
                claimed_at timestamp,
                plans text,
                receipt text,
                done boolean
            )
            """,
        ]
        for statement in creation { try run(statement, []) }
        let firstBucket = layout.bucket(ofUnixSeconds: now / 1000) - bucketSeconds
        try run(
            "INSERT INTO \(keyspace).lake_meta (id, identity, bucket_seconds, first_bucket, created_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS",
            [.text("lake"), .text(identity), .bigint(bucketSeconds), .bigint(firstBucket), .timestamp(now)])
    }

    /// Inserts `events` as that release wrote them at `now`: consecutive ingest ids of that
    /// instant, each event in the bucket of its id, empty fields and an empty `extra` unset.
    package func write(_ events: [RawEvent], now: Int64) throws {
        let columns = ["bucket", "ingest_id", "received_at"] + TrackingField.columnNames + ["extra"]
        let insert =
            "INSERT INTO \(keyspace).tracking (\(columns.joined(separator: ", "))) VALUES ("
            + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        for (event, id) in zip(events, ingestIDs.next(events.count, atUnixMilliseconds: now)) {
            let values: [CQLValue?] =
                [.bigint(layout.bucket(of: id)), .timeuuid(id.uuid), .timestamp(now)]
                + event.values.map { $0.map(CQLValue.text) } + [event.extra.isEmpty ? nil : .textMap(event.extra)]
            try run(insert, values)
        }
    }

    /// Runs one statement on the node's store, as a node runs what a client sends.
    package func run(_ text: String, _ values: [CQLValue?]) throws {
        let (statement, _) = try store.markerTypes(of: text)
        _ = try store.execute(statement, text: text, values: values, pageSize: nil, pagingState: nil)
    }
}

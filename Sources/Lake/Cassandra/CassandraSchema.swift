import JobPulseCore

/// The lake's keyspace and tables, and the statements the lake runs on them. Names are always
/// qualified with the keyspace, so no connection depends on a `USE`.
struct CassandraSchema: Sendable {
    let keyspace: String

    static let tableNames = ["tracking", "quarantine", "lake_meta", "intake_keys"]

    /// The one row of `lake_meta`.
    static let metaRowID = "lake"

    var tracking: String { keyspace + ".tracking" }
    var quarantine: String { keyspace + ".quarantine" }
    var lakeMeta: String { keyspace + ".lake_meta" }
    var intakeKeys: String { keyspace + ".intake_keys" }

    /// Creates what is missing, in order; each is a no-op when its object exists.
    func creationStatements(replication: CassandraReplication) -> [String] {
        let fields = TrackingField.columnNames.map { "    \($0) text," }.joined(separator: "\n")
        return [
            "CREATE KEYSPACE IF NOT EXISTS \(keyspace) WITH replication = \(replication.cql)",
            // One partition per bucket of ingest time; inside it, events in ingest order. Events
            // are never updated or deleted, so time windows compact well.
            """
            CREATE TABLE IF NOT EXISTS \(tracking) (
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
            CREATE TABLE IF NOT EXISTS \(quarantine) (
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
            CREATE TABLE IF NOT EXISTS \(lakeMeta) (
                id text PRIMARY KEY,
                identity text,
                bucket_seconds bigint,
                first_bucket bigint,
                created_at timestamp
            )
            """,
            // One row per intake key, only ever written by lightweight transactions, with the
            // key window as TTL; `docs/cassandra.md` explains the claim.
            """
            CREATE TABLE IF NOT EXISTS \(intakeKeys) (
                key text PRIMARY KEY,
                owner uuid,
                claimed_at timestamp,
                plans text,
                receipt text,
                done boolean
            )
            """,
        ]
    }

    /// The lake's tables that exist, from the schema tables.
    static let existingTables = "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?"

    /// The columns of a tracking row after the key, in the order of the insert and the select.
    static let eventColumns = ["received_at"] + TrackingField.columnNames + ["extra"]

    var insertEvent: String {
        let columns = ["bucket", "ingest_id"] + Self.eventColumns
        return "INSERT INTO \(tracking) (\(columns.joined(separator: ", "))) VALUES (\(Self.markers(columns.count)))"
    }

    /// The events of one bucket in a range of `ingest_id`, in ingest order.
    var selectEvents: String {
        "SELECT ingest_id, \(Self.eventColumns.joined(separator: ", ")) FROM \(tracking) WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?"
    }

    var countEvents: String {
        "SELECT count(*) FROM \(tracking) WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?"
    }

    var insertRejection: String {
        "INSERT INTO \(quarantine) (day, id, received_at, origin, location, reason, raw) VALUES (\(Self.markers(7)))"
    }

    /// The newest rejected rows of one day first.
    var selectRejections: String {
        "SELECT received_at, origin, location, reason, raw FROM \(quarantine) WHERE day = ? LIMIT ?"
    }

    var countRejections: String {
        "SELECT count(*) FROM \(quarantine) WHERE day = ?"
    }

    /// Written once: a lightweight transaction keeps the first writer's row, and answers every
    /// later one with it.
    var insertMeta: String {
        "INSERT INTO \(lakeMeta) (id, identity, bucket_seconds, first_bucket, created_at) VALUES (\(Self.markers(5))) IF NOT EXISTS"
    }

    /// Claims a key for a new intake; a key already there is answered with its row.
    var insertClaim: String {
        "INSERT INTO \(intakeKeys) (key, owner, claimed_at, plans, receipt, done) VALUES (\(Self.markers(6))) IF NOT EXISTS USING TTL ?"
    }

    /// Moves a claim on (a takeover, or done) only for the collector that holds it.
    var updateClaim: String {
        "UPDATE \(intakeKeys) USING TTL ? SET owner = ?, claimed_at = ?, plans = ?, receipt = ?, done = ? WHERE key = ? IF owner = ?"
    }

    /// Which of a range of planned ingest ids one bucket holds.
    var selectEventIDs: String {
        "SELECT ingest_id FROM \(tracking) WHERE bucket = ? AND ingest_id >= ? AND ingest_id <= ?"
    }

    /// Which of a range of planned quarantine ids one day holds.
    var selectRejectionIDs: String {
        "SELECT id FROM \(quarantine) WHERE day = ? AND id >= ? AND id <= ?"
    }

    private static func markers(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }
}

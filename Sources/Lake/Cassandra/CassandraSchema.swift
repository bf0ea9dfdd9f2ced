import JobPulseCore

/// The lake's keyspace and tables, and the statements the lake runs on them. Names are always
/// qualified with the keyspace, so no connection depends on a `USE`.
///
/// Layout 2 (this release) keeps every event's typed values (``TypedColumns``) in `tracking`
/// beside its raw text columns, and records its number in `lake_meta.layout`. Layout 1, the
/// releases before, had only the raw columns and no `layout`; `jobpulse migrate` upgrades it
/// (`LakeUpgrade.swift`).
struct CassandraSchema: Sendable {
    let keyspace: String

    static let currentLayout = 2

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
        let typed = TypedColumns.definitions.map { "    \($0.name) \($0.type)," }.joined(separator: "\n")
        return [
            "CREATE KEYSPACE IF NOT EXISTS \(keyspace) WITH replication = \(replication.cql)",
            // One partition per bucket of ingest time; inside it, events in ingest order. Events
            // are written once and never deleted (reprocess rewrites only the typed cells that
            // change), so time windows suit them. The raw fields stay text: Cassandra compresses
            // its SSTables itself (LZ4 unless the table says otherwise).
            """
            CREATE TABLE IF NOT EXISTS \(tracking) (
                bucket bigint,
                ingest_id timeuuid,
                received_at timestamp,
            \(fields)
                extra map<text, text>,
            \(typed)
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
                created_at timestamp,
                layout int
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

    /// The columns of one table, from the schema tables.
    static let existingColumns = "SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?"

    /// A column of a table of the keyspace (the table's name unqualified, as the schema tables have it).
    typealias Column = (table: String, name: String, type: String)

    /// The columns layout 2 added to layout 1's tables, in the order an upgrade adds them:
    /// `lake_meta.layout` last, so that a keyspace that has it has all the others.
    static let upgradeColumns: [Column] = TypedColumns.definitions.map { ("tracking", $0.name, $0.type) } + [("lake_meta", "layout", "int")]

    /// Adds one column. Cassandra before 4.1 has no `ADD IF NOT EXISTS`, so the upgrade asks the
    /// schema tables which columns are missing first.
    func addColumn(_ column: Column) -> String {
        "ALTER TABLE \(keyspace).\(column.table) ADD \(column.name) \(column.type)"
    }

    /// The raw columns of a tracking row after the key, in the order of the insert and the raw select.
    static let rawColumns = ["received_at"] + TrackingField.columnNames + ["extra"]

    var insertEvent: String {
        let columns = ["bucket", "ingest_id"] + Self.rawColumns + TypedColumns.names
        return "INSERT INTO \(tracking) (\(columns.joined(separator: ", "))) VALUES (\(Self.markers(columns.count)))"
    }

    /// The raw events of one bucket in a range of `ingest_id`, in ingest order.
    var selectEvents: String {
        "SELECT ingest_id, \(Self.rawColumns.joined(separator: ", ")) FROM \(tracking) WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?"
    }

    /// The same range with only the typed values: what the ETL reads, no raw text.
    var selectTypedEvents: String {
        "SELECT ingest_id, \(TypedColumns.names.joined(separator: ", ")) FROM \(tracking) WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ? LIMIT ?"
    }

    /// Every row of a range with what reprocess compares: the fields the rules read from, and
    /// the typed values stored.
    var selectEventsToReprocess: String {
        let columns = ["ingest_id"] + TrackingField.columnNames + ["extra"] + TypedColumns.names
        return "SELECT \(columns.joined(separator: ", ")) FROM \(tracking) WHERE bucket = ? AND ingest_id > ? AND ingest_id <= ?"
    }

    /// Rewrites one event's typed values; a value bound *unset* stays as it is.
    var updateTypedValues: String {
        let assignments = TypedColumns.names.map { "\($0) = ?" }.joined(separator: ", ")
        return "UPDATE \(tracking) SET \(assignments) WHERE bucket = ? AND ingest_id = ?"
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
        "INSERT INTO \(lakeMeta) (id, identity, bucket_seconds, first_bucket, created_at, layout) VALUES (\(Self.markers(6))) IF NOT EXISTS"
    }

    /// The last step of an upgrade: the lake is of the new layout from now on.
    var recordLayout: String {
        "UPDATE \(lakeMeta) SET layout = ? WHERE id = ?"
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

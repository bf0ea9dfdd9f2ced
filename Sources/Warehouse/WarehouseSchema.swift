import JobPulseCore

/// The warehouse's tables, in each dialect.
///
/// `events` is the design's fact table, one row per grain, with two additions that make the
/// exactly-once merge exact and the time filters cheap:
/// - `spend_micros`, the spend in integer millionths: deltas add up exactly whatever the batch
///   boundaries, and `spend_hour` / `bid_set` are recomputed from it on every merge;
/// - `hour_start`, the start of the row's hour as a date-time, for range filters (and Grafana's
///   `$__timeFilter`).
enum WarehouseSchema {
    static func statements(_ dialect: SQLDialect) -> [String] {
        let (autoID, text, key, dateTime, date) =
            switch dialect {
            case .sqlite: ("INTEGER PRIMARY KEY AUTOINCREMENT", "TEXT", "TEXT", "TEXT", "TEXT")
            case .mysql: ("INT NOT NULL AUTO_INCREMENT PRIMARY KEY", "TEXT", "VARCHAR(191)", "DATETIME(3)", "DATE")
            }
        // MySQL 8 has no CREATE INDEX IF NOT EXISTS, so there the index lives in the table. Each
        // index has its query: the unique grain key is the merge's conflict key (and, job_id
        // first, serves every lookup by job); `events_hour_start` serves the range filters of the
        // dashboard and of Grafana's `$__timeFilter`.
        let eventIndexes = dialect == .mysql ? ",\n    INDEX events_hour_start (hour_start)" : ""
        let tableOptions = dialect == .mysql ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : ""
        let jobText = JobRecord.textColumns.map { "\($0) \(text) NULL" }.joined(separator: ",\n    ")
        var statements = [
            """
            CREATE TABLE IF NOT EXISTS events (
                id \(autoID),
                job_id INT NOT NULL,
                dates \(date) NOT NULL,
                hours INT NOT NULL,
                hour_start \(dateTime) NOT NULL,
                disqualified_application INT NOT NULL DEFAULT 0,
                qualified_application INT NOT NULL DEFAULT 0,
                conversion INT NOT NULL DEFAULT 0,
                company_id INT NULL,
                group_id INT NOT NULL,
                campaign_id INT NOT NULL,
                publisher_id INT NOT NULL,
                bid_set DOUBLE NOT NULL DEFAULT 0,
                clicks INT NOT NULL DEFAULT 0,
                spend_hour DOUBLE NOT NULL DEFAULT 0,
                spend_micros BIGINT NOT NULL DEFAULT 0,
                sources \(key) NOT NULL,
                updated_at \(dateTime) NOT NULL,
                UNIQUE (job_id, dates, hours, publisher_id, campaign_id, group_id)\(eventIndexes)
            )\(tableOptions)
            """,
            """
            CREATE TABLE IF NOT EXISTS job (
                job_id INT NOT NULL PRIMARY KEY,
                company_id INT NULL,
                group_id INT NULL,
                campaign_id INT NULL,
                \(jobText),
                imported_at \(dateTime) NOT NULL
            )\(tableOptions)
            """,
            """
            CREATE TABLE IF NOT EXISTS etl_state (
                source \(key) NOT NULL PRIMARY KEY,
                position \(key) NULL,
                updated_at \(dateTime) NOT NULL,
                lake_identity \(key) NOT NULL,
                lease_owner \(key) NULL,
                lease_expires_at BIGINT NULL,
                batches BIGINT NOT NULL DEFAULT 0,
                events_total BIGINT NOT NULL DEFAULT 0,
                funnel_total BIGINT NOT NULL DEFAULT 0,
                other_total BIGINT NOT NULL DEFAULT 0,
                last_batch_events BIGINT NULL,
                last_batch_grains BIGINT NULL,
                last_batch_ms BIGINT NULL,
                last_batch_at \(dateTime) NULL,
                newest_event_ms BIGINT NULL,
                unusable_total BIGINT NOT NULL DEFAULT 0,
                last_unusable_position \(key) NULL
            )\(tableOptions)
            """,
        ]
        if dialect == .sqlite {
            statements += [
                "CREATE INDEX IF NOT EXISTS events_hour_start ON events (hour_start)"
            ]
        }
        return statements
    }

    /// Indexes of earlier versions that no query needs: `migrate` drops each one a warehouse
    /// still has, since every index costs every merge an entry. `events_job` duplicated the first
    /// column of the unique grain key.
    static let droppedIndexes: [(table: String, index: String)] = [("events", "events_job")]

    /// Columns added to tables after their first release, with their definitions: `migrate` adds
    /// each one an existing warehouse lacks, so upgrades keep their data.
    static func addedColumns(_ dialect: SQLDialect) -> [(table: String, column: String, definition: String)] {
        let key = dialect == .mysql ? "VARCHAR(191)" : "TEXT"
        return [
            ("etl_state", "unusable_total", "BIGINT NOT NULL DEFAULT 0"),
            ("etl_state", "last_unusable_position", "\(key) NULL"),
        ]
    }
}

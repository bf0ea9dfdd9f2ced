/// The warehouse's tables and their upgrades. The tables are `SQL/create-tables.<dialect>.sql`,
/// whose statements leave existing tables as they are; the changes made to tables after their
/// first release are listed here, each with the catalogue question that tells whether a
/// warehouse still needs it, so that `migrate` upgrades a warehouse and keeps its data.
enum WarehouseSchema {
    /// One change to an existing table: the statement file to run, and when.
    struct Upgrade {
        enum Condition {
            case columnMissing(table: String, column: String)
            case indexPresent(table: String, index: String)
            case indexMissing(table: String, index: String)
            case tableMissing(String)
        }

        let statement: String
        let when: Condition

        /// Asks the database's own catalogue (`has-column.sql`, `has-index.sql`).
        func isNeeded(in session: any SQLSession, dialect: SQLDialect) throws -> Bool {
            let (question, values): (String, [String: SQLValue]) =
                switch when {
                case .columnMissing(let table, let column): ("has-column", ["table_name": .text(table), "column_name": .text(column)])
                case .indexPresent(let table, let index), .indexMissing(let table, let index):
                    ("has-index", ["table_name": .text(table), "index_name": .text(index)])
                case .tableMissing(let table): ("has-table", ["table_name": .text(table)])
                }
            let statement = try WarehouseSQL.statement(question, dialect)
            let found = try session.query(statement.text, try statement.arguments(values, statement: question)).first?.int("found") ?? 0
            switch when {
            case .columnMissing, .tableMissing, .indexMissing: return found == 0
            case .indexPresent: return found > 0
            }
        }
    }

    static let upgrades: [Upgrade] = [
        Upgrade(statement: "add-unusable-total", when: .columnMissing(table: "etl_state", column: "unusable_total")),
        Upgrade(statement: "add-last-unusable-position", when: .columnMissing(table: "etl_state", column: "last_unusable_position")),
        Upgrade(statement: "drop-events-job", when: .indexPresent(table: "events", index: "events_job")),
        // The dashboard's rollups, their first rows and their triggers (a new warehouse's too).
        Upgrade(statement: "add-rollups", when: .tableMissing("rollup_day")),
        // The all-time sums per job and per pair, built from the day rollups.
        Upgrade(statement: "add-all-time-rollups", when: .tableMissing("rollup_job")),
        // The sums per hour over every publisher and campaign, built from the hour rollup.
        Upgrade(statement: "add-hour-totals", when: .tableMissing("rollup_hour_total")),
        // The hour index that also covers the panels per job.
        Upgrade(statement: "widen-events-hour-index", when: .indexPresent(table: "events", index: "events_hour_start")),
        // The hour rollup's indexes by publisher and campaign, for the filtered hourly chart.
        Upgrade(statement: "add-rollup-hour-filter-indexes", when: .indexMissing(table: "rollup_hour", index: "rollup_hour_pair")),
    ]

    /// Creates what is missing, then applies the upgrades the warehouse still needs, in order.
    static func migrate(_ session: any SQLSession, dialect: SQLDialect) throws {
        for statement in try WarehouseSQL.script("create-tables", dialect) { try session.execute(statement.text) }
        for upgrade in upgrades where try upgrade.isNeeded(in: session, dialect: dialect) {
            for statement in try WarehouseSQL.script(upgrade.statement, dialect) { try session.execute(statement.text) }
        }
    }
}

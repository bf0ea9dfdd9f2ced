import JobPulseCore
import JobPulseTestSupport
import Testing

@testable import JobPulseWarehouse

/// The warehouse's SQL files, as both engines read them: parameters named once, in the file;
/// every dialect difference in a file of its own.
@Suite struct SQLStatementTests {
    @Test func namesBecomeMarkersOutsideCommentsAndLiterals() {
        let parsed = SQLStatement(parsing: "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = :a AND b = :b_2 AND c = :a")
        #expect(parsed.text == "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = ? AND b = ? AND c = ?")
        #expect(parsed.parameterNames == ["a", "b_2", "a"])
    }

    @Test func aScriptSplitsAtSemicolonsOutsideCommentsAndLiterals() {
        let script = SQLStatement.script(parsing: "-- one; still a comment\nCREATE TABLE a (x TEXT DEFAULT ';');\n\nINSERT INTO a VALUES (:x);\n-- trailing\n")
        #expect(script.map(\.text) == ["-- one; still a comment\nCREATE TABLE a (x TEXT DEFAULT ';')", "\n\nINSERT INTO a VALUES (?)"])
        #expect(script.map(\.parameterNames) == [[], ["x"]])
    }

    /// A trigger's body keeps its statements: the script ends it at the `;` after its `END`, and
    /// a `CASE … END` inside it is no end.
    @Test func aTriggersBodyStaysWhole() {
        let source = """
            CREATE TRIGGER t AFTER INSERT ON a BEGIN
                UPDATE b SET n = CASE WHEN NEW.x > 0 THEN n + 1 ELSE n END;
                UPDATE c SET m = m + 1;
            END;
            INSERT INTO a VALUES (:x);
            """
        let script = SQLStatement.script(parsing: source)
        #expect(script.count == 2)
        #expect(script.first?.text.hasSuffix("UPDATE c SET m = m + 1;\nEND") == true)
        #expect(script.last?.parameterNames == ["x"])
    }

    @Test(arguments: SQLDialect.allCases)
    func everyStatementLoadsWithAsManyNamesAsMarkers(_ dialect: SQLDialect) throws {
        for name in WarehouseSQL.names
        where !["create-tables", "add-rollups", "add-all-time-rollups", "add-hour-totals", "add-rollup-hour-filter-indexes"].contains(name) {
            let statement = try WarehouseSQL.statement(name, dialect)
            let markers = statement.text.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined().filter { $0 == "?" }.count
            #expect(name == "merge-events" ? statement.parameterNames.isEmpty : statement.parameterNames.count == markers, "\(name)")
        }
        #expect(try WarehouseSQL.script("create-tables", dialect).count == (dialect == .sqlite ? 7 : 6))
        // Three tables, their first rows, and the triggers: one per change on SQLite, one per change and table on MySQL.
        #expect(try WarehouseSQL.script("add-rollups", dialect).count == (dialect == .sqlite ? 9 : 15))
        // Two tables, their first rows, and one trigger per change and table.
        #expect(try WarehouseSQL.script("add-all-time-rollups", dialect).count == 10)
        #expect(try WarehouseSQL.script("add-hour-totals", dialect).count == 5)
        #expect(try WarehouseSQL.script("add-rollup-hour-filter-indexes", dialect).count == 2)
        #expect(throws: WarehouseError.self) { try WarehouseSQL.statement("create-tables", dialect) }
        let advance = try WarehouseSQL.statement("advance-position", dialect)
        #expect(
            Set(advance.parameterNames) == [
                "position", "now", "events", "funnel", "other", "unusable", "last_unusable", "grains",
                "milliseconds", "newest_event_ms", "source", "owner", "start",
            ])
        #expect(throws: WarehouseError.self) { try advance.arguments(["position": .text("1")], statement: "advance-position") }
    }

    /// The job file's columns are written out in the SQL; they must be the export's, in its order.
    @Test(arguments: SQLDialect.allCases)
    func theJobStatementsNameEveryColumnOfTheExport(_ dialect: SQLDialect) throws {
        let upsert = try WarehouseSQL.statement("upsert-job", dialect)
        #expect(upsert.parameterNames == ["job_id", "company_id", "group_id", "campaign_id"] + JobRecord.textColumns + ["imported_at"])
        let tables = try WarehouseSQL.script("create-tables", dialect).map(\.text).joined()
        let jobTable = try #require(tables.range(of: "CREATE TABLE IF NOT EXISTS job (").map { tables[$0.upperBound...] })
        let columns = jobTable.prefix { $0 != ")" }.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
        #expect(columns == ["job_id", "company_id", "group_id", "campaign_id"] + JobRecord.textColumns + ["imported_at"])
        #expect(try WarehouseSQL.statement("refresh-company", dialect).parameterNames == ["company_id", "now", "job_id", "company_id"])
    }
}

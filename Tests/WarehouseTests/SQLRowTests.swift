import JobPulseTestSupport
import Testing

@testable import JobPulseWarehouse

/// Rows are read by column name; what a row cannot give is an error that names the column.
@Suite(.mariaDBWhenBuilt) struct SQLRowTests {
    let row = SQLRow(columns: ["clicks", "title", "share", "sum"], values: [.int(7), .null, .double(0.25), .text("12")])

    @Test func readsByNameWithTheLenientNumbers() throws {
        #expect(try row.int("clicks") == 7)
        #expect(try row.int("sum") == 12)  // MySQL's DECIMAL sums arrive as text
        #expect(try row.double("clicks") == 7)
        #expect(try row.optionalText("title") == nil)
        #expect(try row.optionalDouble("share") == 0.25)
    }

    @Test func aMissingColumnANullAndAWrongTypeAreErrorsNamingTheColumn() {
        #expect(throws: SQLRowError.self) { try row.int("conversions") }
        do {
            _ = try row.int("conversions")
        } catch {
            #expect(error.code == .missingColumn && "\(error)".contains("conversions") && "\(error)".contains("clicks, title, share, sum"))
        }
        do {
            _ = try row.text("title")
        } catch {
            #expect(error.code == .null && "\(error)" == "the column title is NULL where a value is required")
        }
        do {
            _ = try row.int("share")
        } catch {
            #expect(error.code == .wrongType(.integer) && "\(error)".contains("share"))
        }
        let wide = SQLRow(columns: ["id"], values: [.int(Int64(Int32.max) + 1)])
        #expect(throws: SQLRowError(.wrongType(.int32), column: "id", row: wide)) { try wide.int32("id") }
    }

    @Test(arguments: Backend.allCases)
    func bothDatabasesNameTheirColumns(_ backend: Backend) async throws {
        let store = try await TestStore(backend)
        let rows = try await store.warehouse.database.read { session in
            try session.query("SELECT 1 AS one, NULL AS absent, 'x' AS letter")
        }
        #expect(rows.first?.columns == ["one", "absent", "letter"])
        #expect(try rows.first?.int("one") == 1 && rows.first?.optionalText("absent") == nil && rows.first?.text("letter") == "x")
        try await store.warehouse.close()
    }
}

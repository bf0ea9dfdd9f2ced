#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

@Suite("Row getters", .timeLimit(.minutes(10)))
struct RowGetterTests {
    let row = MariaDBRow(
        columns: [
            MariaDBColumn(name: "id", type: .integer),
            MariaDBColumn(name: "price", type: .decimal),
            MariaDBColumn(name: "label", type: .text),
            MariaDBColumn(name: "missing", type: .text),
        ],
        values: [.int64(7), .string("12.50"), .string("12.50"), .null]
    )

    @Test func convertsWithoutLoss() throws {
        #expect(try row.int64("id") == 7)
        #expect(try row.int("id") == 7)
        #expect(try row.double("id") == 7)
        #expect(try row.double("price") == 12.5)
        #expect(try row.string("price") == "12.50")
        #expect(try row.bytes("label") == Array("12.50".utf8))
        #expect(row["label"] == .string("12.50"))
        #expect(row["nope"] == nil)
        #expect(try row.isNull("missing"))
    }

    @Test func errorsNameTheColumn() {
        #expect(throws: MariaDBRowError.typeMismatch(column: "label", expected: "double", found: "string")) {
            try row.double("label")
        }
        #expect(throws: MariaDBRowError.typeMismatch(column: "price", expected: "int64", found: "the decimal 12.50")) {
            try row.int64("price")
        }
        #expect(throws: MariaDBRowError.typeMismatch(column: "id", expected: "string", found: "int64")) {
            try row.string("id")
        }
        #expect(throws: MariaDBRowError.unexpectedNull(column: "missing")) { try row.string("missing") }
        #expect(throws: MariaDBRowError.unknownColumn("nope", available: ["id", "price", "label", "missing"])) {
            try row.date("nope")
        }
        #expect(MariaDBRowError.unexpectedNull(column: "missing").description.contains("\"missing\""))
    }
}
#endif

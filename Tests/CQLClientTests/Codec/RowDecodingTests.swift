import Testing

@testable import CQLClient

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct RowDecodingTests {
    let row = CQLRow(
        layout: CQLColumnLayout(columns: [
            CQLColumn(keyspace: "ks", table: "t", name: "id", type: .int),
            CQLColumn(keyspace: "ks", table: "t", name: "name", type: .varchar),
            CQLColumn(keyspace: "ks", table: "t", name: "nickname", type: .varchar),
            CQLColumn(keyspace: "ks", table: "t", name: "tags", type: .set(.varchar)),
            CQLColumn(keyspace: "ks", table: "t", name: "created", type: .timestamp),
        ]),
        values: [.int(7), .text("ann"), .null, .set([.text("a")]), .timestamp(1_000)]
    )

    @Test func readsColumnsByNameIntoSwiftTypes() throws {
        #expect(try row.decode(Int32.self, column: "id") == 7)
        #expect(try row.decode(Int.self, column: "id") == 7)
        #expect(try row.decode(String.self, column: "name") == "ann")
        #expect(try row.decode(String?.self, column: "nickname") == nil)
        #expect(try row.decode(Set<String>.self, column: "tags") == ["a"])
        #expect(try row.decode(Date.self, column: "created") == Date(timeIntervalSince1970: 1))
        #expect(try row.decode(String.self, at: 1) == "ann")
        #expect(row["name"] == .text("ann"))
        #expect(row["missing"] == nil)
    }

    @Test func missingColumnNamesTheColumnAndTheAvailableOnes() {
        #expect(
            throws: CQLRowDecodingError.columnMissing(
                column: "email", available: ["id", "name", "nickname", "tags", "created"]
            )
        ) {
            try row.decode(String.self, column: "email")
        }
    }

    @Test func typeMismatchNamesTheColumnAndBothTypes() {
        let error = #expect(throws: CQLRowDecodingError.self) {
            try row.decode(String.self, column: "id")
        }
        #expect(error == .typeMismatch(column: "id", columnType: .int, expected: "String"))
        #expect(error?.description == "column 'id' is int, cannot read it as String")
    }

    @Test func nullIntoANonOptionalIsReported() {
        #expect(throws: CQLRowDecodingError.unexpectedNull(column: "nickname", expected: "String")) {
            try row.decode(String.self, column: "nickname")
        }
    }
}

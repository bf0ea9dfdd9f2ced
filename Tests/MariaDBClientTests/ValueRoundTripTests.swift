#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    @Suite("Value round-trips", .timeLimit(.minutes(10)))
    struct ValueRoundTripTests {
        static func createTable(_ name: String) -> String {
            """
            CREATE TABLE \(name) (
                id INT PRIMARY KEY,
                big BIGINT, small TINYINT, ubig BIGINT UNSIGNED, dbl DOUBLE, flt FLOAT,
                price DECIMAL(20,6), name VARCHAR(100), body MEDIUMTEXT, data BLOB, fixed BINARY(4),
                day DATE, moment DATETIME(6), early DATETIME(6), stamp TIMESTAMP(6) NULL, span TIME(6), yr YEAR
            )
            """
        }

        static func insert(into name: String) -> String {
            """
            INSERT INTO \(name)
                (id, big, small, ubig, dbl, flt, price, name, body, data, fixed, day, moment, early, stamp, span, yr)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        }
        static let longText = String(repeating: "long value ", count: 10_000)

        @Test func everyValueTypeRoundTrips() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute(Self.createTable("value_types"))
                let inserted = try await connection.execute(
                    Self.insert(into: "value_types"),
                    [
                        1, .int64(.min), -128, "18446744073709551615", .double(-1.25e300), 0.5,
                        "-12345678901234.123456", "héllo", .string(Self.longText), .bytes([0, 1, 2, 255, 0]),
                        .bytes([0xDE, 0xAD, 0xBE, 0xEF]), .date(MariaDBDate(year: 2024, month: 2, day: 29)),
                        .datetime(secondsSince1970: 1_700_000_000.123456),
                        .datetime(secondsSince1970: -1_000_000_000.25), .datetime(secondsSince1970: 86_400.5),
                        "-123:45:06.5", 2155,
                    ]
                )
                #expect(inserted == 1)

                let rows = try await connection.query("SELECT * FROM value_types WHERE id = ?", [1])
                let row = try #require(rows.first)
                #expect(rows.count == 1)
                #expect(row["big"] == .int64(.min))
                #expect(row["small"] == .int64(-128))
                #expect(row["ubig"] == .string("18446744073709551615"))
                #expect(row["dbl"] == .double(-1.25e300))
                #expect(row["flt"] == .double(0.5))
                #expect(row["price"] == .string("-12345678901234.123456"))
                #expect(row["name"] == .string("héllo"))
                #expect(row["body"] == .string(Self.longText))
                #expect(row["data"] == .bytes([0, 1, 2, 255, 0]))
                #expect(row["fixed"] == .bytes([0xDE, 0xAD, 0xBE, 0xEF]))
                #expect(row["day"] == .date(MariaDBDate(year: 2024, month: 2, day: 29)))
                #expect(row["moment"] == .datetime(secondsSince1970: 1_700_000_000.123456))
                #expect(row["early"] == .datetime(secondsSince1970: -1_000_000_000.25))
                #expect(row["stamp"] == .datetime(secondsSince1970: 86_400.5))
                #expect(row["span"] == .string("-123:45:06.500000"))
                #expect(row["yr"] == .int64(2155))

                #expect(
                    row.columns.map(\.type) == [
                        .integer, .integer, .integer, .integer, .floatingPoint, .floatingPoint, .decimal, .text,
                        .text, .binary, .binary, .date, .datetime, .datetime, .datetime, .time, .integer,
                    ])
                #expect(try row.double("price") == -12345678901234.123456)
                #expect(try row.int("yr") == 2155)
                #expect(try row.date("day").description == "2024-02-29")
                #expect(try row.datetime("moment") == 1_700_000_000.123456)
                #expect(try row.bytes("data") == [0, 1, 2, 255, 0])
            }
        }

        @Test func dateTimesAreStoredAsUTCWallClock() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let rows = try await connection.query(
                    "SELECT CAST(? AS CHAR) AS text, CAST(? AS DATE) AS day",
                    [.datetime(secondsSince1970: 1_700_000_000.25), .date(MariaDBDate(year: 1969, month: 12, day: 31))]
                )
                #expect(try rows.first?.string("text") == "2023-11-14 22:13:20.250000")
                #expect(try rows.first?.date("day") == MariaDBDate(year: 1969, month: 12, day: 31))
            }
        }

        @Test func nullsRoundTripInEveryColumn() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute(Self.createTable("null_types"))
                try await connection.execute(
                    Self.insert(into: "null_types"),
                    [2] + Array(repeating: .null, count: 16)
                )
                let row = try #require(try await connection.query("SELECT * FROM null_types").first)
                #expect(row.values.dropFirst().allSatisfy { $0 == .null })
                for column in row.columns.dropFirst() {
                    #expect(try row.isNull(column.name))
                }
                #expect(throws: MariaDBRowError.unexpectedNull(column: "big")) { try row.int64("big") }
                #expect(throws: MariaDBRowError.unexpectedNull(column: "moment")) { try row.datetime("moment") }
            }
        }

        @Test func computedColumnsDecodeByFieldType() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let rows = try await connection.query(
                    "SELECT 1 + 1 AS two, NULL AS nothing, 1.5 AS exact, 1.5e0 AS approximate, ? AS echoed, ? AS raw",
                    ["text", .bytes([1, 2])]
                )
                let row = try #require(rows.first)
                #expect(
                    row.values == [.int64(2), .null, .string("1.5"), .double(1.5), .string("text"), .bytes([1, 2])])
                #expect(row.columns.map(\.type) == [.integer, .null, .decimal, .floatingPoint, .text, .binary])
            }
        }

        @Test func emptyResultAndAffectedRowCounts() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE counters (id INT PRIMARY KEY, n INT)")
                #expect(try await connection.execute("INSERT INTO counters VALUES (?, ?), (?, ?)", [1, 0, 2, 0]) == 2)
                #expect(try await connection.execute("UPDATE counters SET n = ? WHERE id > ?", [5, 0]) == 2)
                #expect(try await connection.execute("DELETE FROM counters WHERE id = ?", [99]) == 0)
                #expect(try await connection.query("SELECT * FROM counters WHERE id = ?", [99]).isEmpty)
            }
        }
    }
}
#endif

#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

extension SharedServerTests {
    @Suite("Text round-trips verbatim", .timeLimit(.minutes(10)))
    struct TextRoundTripTests {
        static let samples: [String] = [
            "'; DROP TABLE texts; --",
            "' OR '1'='1",
            "\" OR \"\"=\"",
            "Robert'); DROP TABLE Students;--",
            "\\",
            "\\'",
            "\\\\'\\\"",
            "%_*?",
            "? ?? $1 :name",
            "/* comment */ SELECT 1; #",
            "\u{1A}\u{08}\t\r\n",
            "",
            " leading and trailing spaces ",
            "😀👩‍👩‍👧‍👦🏳️‍🌈",
            "𝄞𝟘𐍈𠜎",
            "مرحبا بالعالم",
            "עִבְרִית",
            "\u{202E}override\u{202C} and \u{200F}mark",
            "e\u{301} vs \u{E9}",
            "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǫ̗̻",
            "中文, 日本語, 한국어",
            "\u{FEFF}BOM and \u{FFFD}",
        ]

        @Test func stringsRoundTripByteForByte() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE texts (id INT PRIMARY KEY, body TEXT)")
                for (id, sample) in Self.samples.enumerated() {
                    try await connection.execute(
                        "INSERT INTO texts (id, body) VALUES (?, ?)", [.int64(Int64(id)), .string(sample)])
                }
                #expect(
                    try await connection.query("SELECT COUNT(*) AS n FROM texts").first?.int("n") == Self.samples.count)

                for (id, sample) in Self.samples.enumerated() {
                    let row = try #require(
                        try await connection.query(
                            "SELECT body, HEX(body) AS hex, CHAR_LENGTH(body) AS characters FROM texts WHERE id = ?",
                            [.int64(Int64(id))]
                        ).first
                    )
                    let stored = try row.string("body")
                    // Compare bytes: Swift's == treats canonically equivalent strings as equal.
                    #expect(Array(stored.utf8) == Array(sample.utf8), "sample \(id)")
                    #expect(try row.string("hex") == hex(sample), "the server stored other bytes for sample \(id)")
                    #expect(try row.int("characters") == sample.unicodeScalars.count, "sample \(id)")
                }
            }
        }

        @Test func injectionStringsAreComparedNotExecuted() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                try await connection.execute("CREATE TABLE accounts (name VARCHAR(50) PRIMARY KEY)")
                try await connection.execute("INSERT INTO accounts VALUES (?)", ["alice"])
                let matches = try await connection.query("SELECT name FROM accounts WHERE name = ?", ["x' OR '1'='1"])
                #expect(matches.isEmpty)
                #expect(
                    try await connection.execute("DELETE FROM accounts WHERE name = ?", ["'; DELETE FROM accounts; --"])
                        == 0)
                #expect(try await connection.query("SELECT name FROM accounts").count == 1)
            }
        }

        @Test func connectionUsesUTF8MB4() async throws {
            let server = try SharedServer.require()
            try await withConnection(server.configuration()) { connection in
                let row = try #require(
                    try await connection.query(
                        """
                        SELECT @@character_set_client AS client, @@character_set_connection AS connection,
                            @@character_set_results AS results
                        """
                    ).first
                )
                #expect(row.values == [.string("utf8mb4"), .string("utf8mb4"), .string("utf8mb4")])
            }
        }

        private func hex(_ text: String) -> String {
            text.utf8.map { byte in
                let digits = Array("0123456789ABCDEF")
                return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
            }.joined()
        }
    }
}
#endif

import Testing

@testable import JobPulseWarehouse

/// The commit statements' files, as both engines read them: parameters named once, in the file.
@Suite struct CommitStatementTests {
    @Test func namesBecomeMarkersOutsideCommentsAndLiterals() {
        let parsed = CommitStatement(parsing: "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = :a AND b = :b_2 AND c = :a")
        #expect(parsed.text == "-- :not_a_name here\nSELECT ':nor_this', x FROM t WHERE a = ? AND b = ? AND c = ?")
        #expect(parsed.parameterNames == ["a", "b_2", "a"])
    }

    @Test(arguments: [SQLDialect.sqlite, .mysql])
    func everyStatementLoadsWithAsManyNamesAsMarkers(_ dialect: SQLDialect) throws {
        for name in CommitStatements.names {
            let statement = try CommitStatements.statement(name, dialect)
            let markers = statement.text.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined().filter { $0 == "?" }.count
            #expect(name == "merge-events" ? statement.parameterNames.isEmpty : statement.parameterNames.count == markers, "\(name)")
        }
        let advance = try CommitStatements.statement("advance-position", dialect)
        #expect(
            Set(advance.parameterNames) == [
                "position", "now", "events", "funnel", "other", "unusable", "last_unusable", "grains",
                "milliseconds", "newest_event_ms", "source", "owner", "start",
            ])
        #expect(throws: WarehouseError.self) { try advance.arguments(["position": .text("1")], statement: "advance-position") }
    }
}

import JobPulseCore

/// Budgets in the warehouse's `budget` table, and the spend they are paced against.
extension SQLWarehouse {
    public func setBudget(_ budget: Budget) async throws {
        let set = try WarehouseSQL.statement("set-budget", dialect)
        let values = Self.budgetValues(budget).merging(["now": .text(Timestamp.sql(clock.now))]) { $1 }
        try await database.write { session in try Self.run(set, "set-budget", values, in: session) }
    }

    public func removeBudget(scope: BudgetScope, id: Int32) async throws -> Bool {
        let remove = try WarehouseSQL.statement("remove-budget", dialect)
        return try await database.write { session in
            try Self.run(remove, "remove-budget", ["scope": .text(scope.rawValue), "scope_id": .int(Int64(id))], in: session) > 0
        }
    }

    public func budgets(campaignID: Int32?) async throws -> [Budget] {
        let columns =
            "b.scope AS scope, b.scope_id AS scope_id, b.amount_micros AS amount_micros, b.period AS period, "
            + "b.starts_on AS starts_on, b.ends_on AS ends_on, b.currency AS currency, b.origin AS origin"
        let (sql, arguments): (String, [SQLValue]) =
            if let campaignID {
                (
                    """
                    SELECT \(columns) FROM budget b LEFT JOIN job j ON b.scope = 'job' AND j.job_id = b.scope_id
                    WHERE (b.scope = 'campaign' AND b.scope_id = ?) OR (b.scope = 'job' AND j.campaign_id = ?)
                    ORDER BY b.scope, b.scope_id
                    """, [.int(Int64(campaignID)), .int(Int64(campaignID))]
                )
            } else {
                ("SELECT \(columns) FROM budget b ORDER BY b.scope, b.scope_id", [])
            }
        return try await database.read { session in try session.query(sql, arguments).map(Self.budget) }
    }

    public func spend(scope: BudgetScope, id: Int32, from: Int64, until: Int64, recentAfter: Int64) async throws -> (total: Int64, recent: Int64) {
        let column = scope == .campaign ? "campaign_id" : "job_id"
        let row = try await database.read { session in
            try session.query(
                """
                SELECT COALESCE(SUM(e.spend_micros), 0) AS spent,
                       COALESCE(SUM(CASE WHEN e.hour_start > ? THEN e.spend_micros ELSE 0 END), 0) AS recent
                FROM events e WHERE e.\(column) = ? AND e.hour_start >= ? AND e.hour_start <= ?
                """, [.text(Self.wholeSeconds(recentAfter)), .int(Int64(id)), .text(Self.wholeSeconds(from + 999)), .text(Self.wholeSeconds(until))])[0]
        }
        return (try row.int("spent"), try row.int("recent"))
    }

    /// A budget's columns, named as `set-budget.sql` and `default-job-budget.sql` name them.
    static func budgetValues(_ budget: Budget) -> [String: SQLValue] {
        var values: [String: SQLValue] = [
            "scope": .text(budget.scope.rawValue), "scope_id": .int(Int64(budget.scopeID)), "job_id": .int(Int64(budget.scopeID)),
            "amount_micros": .int(budget.amountMicros), "period": .text(budget.period.name), "currency": SQLValue(budget.currency),
            "origin": .text(budget.origin.rawValue), "starts_on": .null, "ends_on": .null,
        ]
        if case .lifetime(let from, let through) = budget.period {
            values["starts_on"] = .text(from.description)
            values["ends_on"] = SQLValue(through?.description)
        }
        return values
    }

    /// A `budget` row; a row no release writes (an unknown period or scope) is an error naming it.
    static func budget(_ row: SQLRow) throws -> Budget {
        let scopeName = try row.text("scope"), id = try row.int32("scope_id")
        guard let scope = BudgetScope(rawValue: scopeName) else { throw WarehouseError.unreadableBudget(scope: scopeName, id: id, reason: "unknown scope") }
        let startsOn = try row.optionalText("starts_on").map { String($0.prefix(10)) }
        let endsOn = try row.optionalText("ends_on").map { String($0.prefix(10)) }
        let period: BudgetPeriod
        switch BudgetPeriod.parse(try row.text("period"), from: startsOn, through: endsOn) {
        case .success(let parsed): period = parsed
        case .failure(let error): throw WarehouseError.unreadableBudget(scope: scopeName, id: id, reason: error.description)
        }
        return Budget(
            scope: scope, scopeID: id, amountMicros: try row.int("amount_micros"), period: period, currency: try row.optionalText("currency"),
            origin: BudgetOrigin(rawValue: try row.text("origin")) ?? .manual)
    }
}

extension JobRecord {
    /// The export's `budget` as the job's lifetime budget: from its `start_date` (the import day
    /// when that is not a date) through its `end_date` (no end when that is not a date, or is
    /// before the start). Nil when the column holds no positive amount.
    func exportBudget(importedAt now: Int64) -> Budget? {
        guard let amount = column("budget"), case .success(let micros) = Budget.amountMicros(amount) else { return nil }
        let start = column("start_date").flatMap { UTCDay($0.prefix(10)) } ?? UTCDay(epochMilliseconds: now)
        let end = column("end_date").flatMap { UTCDay($0.prefix(10)) }.flatMap { $0 >= start ? $0 : nil }
        return Budget(scope: .job, scopeID: jobID, amountMicros: micros, period: .lifetime(from: start, through: end), origin: .jobExport)
    }

    /// A text column, without the spaces around it.
    private func column(_ name: String) -> String? { text[name]?.trimmingSpaces }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

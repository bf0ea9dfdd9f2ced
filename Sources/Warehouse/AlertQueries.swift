import JobPulseCore

/// Alert state, the webhook outbox, and the figures the alert rules read.
extension SQLWarehouse {
    public func alerts() async throws -> [AlertRecord] {
        try await database.read { session in
            try session.query(
                """
                SELECT a.alert_key AS alert_key, a.rule AS rule, a.scope AS scope, a.scope_id AS scope_id, a.state AS state,
                       a.episode AS episode, a.since_ms AS since_ms, a.evaluated_ms AS evaluated_ms, a.value AS value,
                       a.threshold AS threshold, a.message AS message
                FROM alert a ORDER BY CASE WHEN a.state = 'firing' THEN 0 ELSE 1 END, a.since_ms DESC, a.alert_key
                """
            ).map(Self.alert)
        }
    }

    public func applyAlertChanges(_ changes: [AlertChange], targets: [String]) async throws -> Int {
        guard !changes.isEmpty else { return 0 }
        let insert = try WarehouseSQL.statement("insert-alert", dialect)
        let update = try WarehouseSQL.statement("update-alert", dialect)
        let enqueue = try WarehouseSQL.statement("enqueue-alert-delivery", dialect)
        let now = clock.now
        return try await database.write { session in
            var applied = 0
            for change in changes {
                var values = Self.alertValues(change.record)
                let changed: Int
                if let previous = change.previous {
                    values["previous_state"] = .text(previous.state.rawValue)
                    values["previous_episode"] = .int(Int64(previous.episode))
                    changed = try Self.run(update, "update-alert", values, in: session)
                } else {
                    changed = try Self.run(insert, "insert-alert", values, in: session)
                }
                guard changed > 0 else { continue }
                applied += 1
                guard let notification = change.notification else { continue }
                for target in targets {
                    let delivery: [String: SQLValue] = [
                        "delivery_id": .text(notification.id), "target": .text(target), "body": .text(notification.body),
                        "next_attempt_ms": .int(now),
                    ]
                    try Self.run(enqueue, "enqueue-alert-delivery", delivery, in: session)
                }
            }
            return applied
        }
    }

    public func lastClicks(since: Int64) async throws -> [ClickActivity] {
        let from = Self.wholeSeconds(since + 999)
        return try await database.read { session in
            try session.query(
                """
                SELECT 'campaign' AS scope, e.campaign_id AS id, MAX(e.hour_start) AS last_hour
                FROM events e WHERE e.clicks > 0 AND e.hour_start >= ? GROUP BY e.campaign_id
                UNION ALL
                SELECT 'job' AS scope, e.job_id AS id, MAX(e.hour_start) AS last_hour
                FROM events e WHERE e.clicks > 0 AND e.hour_start >= ? GROUP BY e.job_id
                """, [.text(from), .text(from)]
            ).map { row in
                ClickActivity(
                    scope: try row.text("scope") == "job" ? .job : .campaign, id: try row.int32("id"),
                    lastClickHour: try Self.time(row, "last_hour"))
            }
        }
    }

    public func hourlyCosts(since: Int64) async throws -> [HourlyCost] {
        try await database.read { session in
            try session.query(
                """
                SELECT e.campaign_id AS campaign_id, e.hour_start AS hour_start, SUM(e.clicks) AS clicks, SUM(e.spend_micros) AS spend_micros
                FROM events e WHERE e.hour_start >= ?
                GROUP BY e.campaign_id, e.hour_start ORDER BY e.campaign_id, e.hour_start
                """, [.text(Self.wholeSeconds(since + 999))]
            ).map { row in
                HourlyCost(
                    campaignID: try row.int32("campaign_id"), hourStart: try Self.time(row, "hour_start"), clicks: try row.int("clicks"),
                    spendMicros: try row.int("spend_micros"))
            }
        }
    }

    public func dueDeliveries(targets: [String], dueBy: Int64, limit: Int) async throws -> [PendingDelivery] {
        guard !targets.isEmpty else { return [] }
        let markers = Array(repeating: "?", count: targets.count).joined(separator: ", ")
        return try await database.read { session in
            try session.query(
                """
                SELECT d.delivery_id AS delivery_id, d.target AS target, d.body AS body, d.attempts AS attempts, d.last_error AS last_error
                FROM alert_delivery d WHERE d.target IN (\(markers)) AND d.next_attempt_ms <= ?
                ORDER BY d.next_attempt_ms, d.delivery_id LIMIT ?
                """, targets.map { .text($0) } + [.int(dueBy), .int(Int64(limit))]
            ).map { row in
                PendingDelivery(
                    id: try row.text("delivery_id"), target: try row.text("target"), body: try row.text("body"),
                    attempts: Int(try row.int("attempts")), lastError: try row.optionalText("last_error"))
            }
        }
    }

    public func nextDeliveryDue(targets: [String]) async throws -> Int64? {
        guard !targets.isEmpty else { return nil }
        let markers = Array(repeating: "?", count: targets.count).joined(separator: ", ")
        return try await database.read { session in
            try session.query(
                "SELECT MIN(d.next_attempt_ms) AS due FROM alert_delivery d WHERE d.target IN (\(markers))", targets.map { .text($0) }
            )[0].optionalInt("due")
        }
    }

    public func deliverySucceeded(id: String, target: String) async throws {
        let forget = try WarehouseSQL.statement("forget-alert-delivery", dialect)
        try await database.write { session in
            try Self.run(forget, "forget-alert-delivery", ["delivery_id": .text(id), "target": .text(target)], in: session)
        }
    }

    public func deliveryFailed(id: String, target: String, nextAttemptAt: Int64, error: String) async throws {
        let postpone = try WarehouseSQL.statement("postpone-alert-delivery", dialect)
        let values: [String: SQLValue] = [
            "delivery_id": .text(id), "target": .text(target), "next_attempt_ms": .int(nextAttemptAt), "last_error": .text(String(error.prefix(255))),
        ]
        try await database.write { session in try Self.run(postpone, "postpone-alert-delivery", values, in: session) }
    }

    /// An alert's columns, named as `insert-alert.sql` and `update-alert.sql` name them.
    static func alertValues(_ record: AlertRecord) -> [String: SQLValue] {
        [
            "alert_key": .text(record.key), "rule": .text(record.rule), "scope": .text(record.scope.rawValue),
            "scope_id": SQLValue(record.scopeID), "state": .text(record.state.rawValue), "episode": .int(Int64(record.episode)),
            "since_ms": .int(record.since), "evaluated_ms": .int(record.evaluatedAt), "value": .double(record.value),
            "threshold": .double(record.threshold), "message": .text(record.message),
        ]
    }

    /// An `alert` row; a row no release writes (an unknown scope or state) is an error naming it.
    static func alert(_ row: SQLRow) throws -> AlertRecord {
        let key = try row.text("alert_key")
        guard let scope = AlertScope(rawValue: try row.text("scope")) else { throw WarehouseError.unreadableAlert(key: key, reason: "unknown scope") }
        guard let state = AlertRecord.State(rawValue: try row.text("state")) else {
            throw WarehouseError.unreadableAlert(key: key, reason: "unknown state")
        }
        return AlertRecord(
            key: key, rule: try row.text("rule"), scope: scope, scopeID: try row.optionalInt32("scope_id"), state: state,
            episode: Int(try row.int("episode")), since: try row.int("since_ms"), evaluatedAt: try row.int("evaluated_ms"),
            value: try row.double("value"), threshold: try row.double("threshold"), message: try row.text("message"))
    }

    /// A date-time column as epoch milliseconds.
    static func time(_ row: SQLRow, _ column: String) throws -> Int64 {
        let text = try row.text(column)
        guard case .success(let millis) = EventTime.parse(text) else { throw WarehouseError.unreadableTime(column: column, value: text) }
        return millis
    }
}

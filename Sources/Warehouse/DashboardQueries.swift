import JobPulseCore

/// The dashboard's panels as SQL over the rollups (``RollupSource``). The text is shared by every
/// dialect, so the built-in dashboard shows the same figures on SQLite and on MySQL; ratios are
/// computed by the database from its own sums.
extension SQLWarehouse {
    /// `WHERE` clause and arguments for a filter, on `events` aliased as `e`.
    static func condition(_ filter: DashboardFilter) -> (sql: String, arguments: [SQLValue]) {
        var clauses = ["1 = 1"]
        var arguments: [SQLValue] = []
        // `hour_start` holds whole seconds (`YYYY-MM-DD HH:MM:SS`), and SQLite compares it as
        // text: the bounds are given at that precision, `from` rounded up and `to` down, so that an
        // hour starting exactly at `from` is in the range and one starting before it is not.
        if let from = filter.from {
            clauses.append("e.hour_start >= ?")
            arguments.append(.text(Self.wholeSeconds(from + 999)))
        }
        if let to = filter.to {
            clauses.append("e.hour_start <= ?")
            arguments.append(.text(Self.wholeSeconds(to)))
        }
        if let publisher = filter.publisherID {
            clauses.append("e.publisher_id = ?")
            arguments.append(.int(Int64(publisher)))
        }
        if let campaign = filter.campaignID {
            clauses.append("e.campaign_id = ?")
            arguments.append(.int(Int64(campaign)))
        }
        if let job = filter.jobID {
            clauses.append("e.job_id = ?")
            arguments.append(.int(Int64(job)))
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// `YYYY-MM-DD HH:MM:SS` of the second that holds `millis`.
    static func wholeSeconds(_ millis: Int64) -> String {
        let second = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        return String(Timestamp.sql(second * 1000).prefix(19))
    }

    /// The funnel's sums, named as ``metrics(_:)`` reads them.
    static let funnelSums = """
        COALESCE(SUM(e.clicks), 0) AS clicks, COALESCE(SUM(e.conversion), 0) AS conversions, \
        COALESCE(SUM(e.qualified_application), 0) AS qualified, \
        COALESCE(SUM(e.disqualified_application), 0) AS disqualified, COALESCE(SUM(e.spend_micros), 0) AS spend_micros
        """

    static func metrics(_ row: SQLRow) throws -> FunnelMetrics {
        FunnelMetrics(
            clicks: try row.int("clicks"), conversions: try row.int("conversions"), qualified: try row.int("qualified"),
            unqualified: try row.int("disqualified"), spendMicros: try row.int("spend_micros"))
    }

    public func funnelTotals(_ filter: DashboardFilter) async throws -> FunnelMetrics {
        // No job counted: the sums per publisher and campaign hold them, unless a job is chosen.
        let (source, arguments) = RollupSource(filter).pairs(filter)
        return try await database.read { session in try Self.metrics(try session.query("SELECT \(Self.funnelSums) FROM \(source)", arguments)[0]) }
    }

    public func dayGauges(_ filter: DashboardFilter) async throws -> DayGauges {
        let range = RollupSource(filter)
        let (source, arguments) = filter.jobID == nil ? range.campaigns(filter) : range.jobs(filter)
        // Never a day after today (UTC): one event with a `ts` of 9999-12-31 would otherwise
        // make that the gauges' day for good.
        let today = String(Timestamp.sql(clock.now).prefix(10))
        return try await database.read { session in
            guard
                let day = try session.query(
                    "SELECT MAX(e.dates) AS day FROM \(source) WHERE e.dates <= ?", arguments + [.text(today)])[0].optionalText("day")
            else {
                return DayGauges(day: nil, qualified: 0, disqualified: 0, qualifiedShare: nil, disqualifiedShare: nil)
            }
            let row = try session.query(
                """
                SELECT COALESCE(SUM(e.qualified_application), 0) AS qualified,
                       COALESCE(SUM(e.disqualified_application), 0) AS disqualified,
                       CAST(SUM(e.qualified_application) AS DOUBLE)
                         / NULLIF(SUM(e.qualified_application) + SUM(e.disqualified_application), 0) AS qualified_share,
                       CAST(SUM(e.disqualified_application) AS DOUBLE)
                         / NULLIF(SUM(e.qualified_application) + SUM(e.disqualified_application), 0) AS disqualified_share
                FROM \(source) WHERE e.dates = ?
                """, arguments + [.text(day)])[0]
            return DayGauges(
                day: String(day.prefix(10)), qualified: try row.int("qualified"), disqualified: try row.int("disqualified"),
                qualifiedShare: try row.optionalDouble("qualified_share"), disqualifiedShare: try row.optionalDouble("disqualified_share"))
        }
    }

    /// Every job with activity in the filter's range, summed once: `job_id`, `company_id` and
    /// the funnel's sums. Jobs without a funnel event are left out.
    static func jobSums(_ filter: DashboardFilter) -> (sql: String, arguments: [SQLValue]) {
        let (source, arguments) = RollupSource(filter).jobs(filter)
        return (
            """
            SELECT e.job_id AS job_id, MAX(e.company_id) AS company_id, \(Self.funnelSums)
            FROM \(source)
            WHERE e.job_id <> 0
            GROUP BY e.job_id
            HAVING SUM(e.clicks + e.conversion + e.qualified_application + e.disqualified_application) > 0
            """, arguments
        )
    }

    public func jobActivity(_ filter: DashboardFilter, limit: Int) async throws -> JobActivity {
        let (sums, arguments) = Self.jobSums(filter)
        // The count of the jobs rides on each of the first rows by clicks (at least one, so that
        // the count comes back), and the job's title is looked up for those rows only. Jobs
        // without a click sort last and are not ranked.
        let rows = try await database.read { session in
            try session.query(
                """
                SELECT a.job_id AS job_id, j.title AS title, a.company_id AS company_id, a.clicks AS clicks, a.conversions AS conversions,
                       a.qualified AS qualified, a.disqualified AS disqualified, a.spend_micros AS spend_micros, a.active_jobs AS active_jobs
                FROM (SELECT t.job_id AS job_id, t.company_id AS company_id, t.clicks AS clicks, t.conversions AS conversions,
                             t.qualified AS qualified, t.disqualified AS disqualified, t.spend_micros AS spend_micros,
                             COUNT(*) OVER () AS active_jobs
                      FROM (\(sums)) t
                      ORDER BY t.clicks DESC, t.job_id
                      LIMIT ?) a
                LEFT JOIN job j ON j.job_id = a.job_id
                ORDER BY a.clicks DESC, a.job_id
                """, arguments + [.int(Int64(max(limit, 1)))]
            ).map { r in
                (
                    active: try r.int("active_jobs"),
                    ranking: JobRanking(
                        jobID: try r.int32("job_id"), title: try r.optionalText("title"), companyID: try r.optionalInt32("company_id"),
                        metrics: try Self.metrics(r))
                )
            }
        }
        return JobActivity(activeJobs: rows.first?.active ?? 0, top: Array(rows.map(\.ranking).filter { $0.metrics.clicks > 0 }.prefix(limit)))
    }

    public func jobTotals(_ filter: DashboardFilter, source: String) async throws -> JobTotals {
        let (sums, arguments) = Self.jobSums(filter)
        // One read is one snapshot on both backends: the sums are those of the state read first.
        return try await database.read { session in
            let state = try Self.readState(session, source: source)
            var jobs: [Int32: FunnelMetrics] = [:]
            for r in try session.query(sums, arguments) { jobs[try r.int32("job_id")] = try Self.metrics(r) }
            return JobTotals(state: state, jobs: jobs)
        }
    }

    public func jobDetails(_ jobIDs: [Int32]) async throws -> [Int32: JobDetails] {
        guard !jobIDs.isEmpty else { return [:] }
        let list = Array(repeating: "?", count: jobIDs.count).joined(separator: ", ")
        // A job's rows all hold the company the job dimension gave it last (a change of company
        // rewrites them): the all-time rollup, one row per publisher and campaign, holds it too.
        return try await database.read { session in
            var details: [Int32: JobDetails] = [:]
            for r in try session.query(
                """
                SELECT r.job_id AS job_id, MAX(r.company_id) AS company_id, MAX(j.title) AS title
                FROM rollup_job r LEFT JOIN job j ON j.job_id = r.job_id
                WHERE r.job_id IN (\(list))
                GROUP BY r.job_id
                """, jobIDs.map { .int(Int64($0)) })
            {
                details[try r.int32("job_id")] = JobDetails(title: try r.optionalText("title"), companyID: try r.optionalInt32("company_id"))
            }
            return details
        }
    }

    public func hourly(_ filter: DashboardFilter) async throws -> [HourlyPoint] {
        // One point per hour is what the chart shows: the hour totals without a filter (one row
        // per hour), the hour rollup for a publisher or campaign, `events` for a job.
        let (whereSQL, arguments) = Self.condition(filter)
        let (table, existing) =
            switch (filter.jobID, filter.publisherID, filter.campaignID) {
            case (.some, _, _): ("events", "")
            case (nil, nil, nil): ("rollup_hour_total", " AND e.grains > 0")
            default: ("rollup_hour", " AND e.grains > 0")
            }
        return try await database.read { session in
            try session.query(
                """
                SELECT e.dates AS dates, e.hours AS hours, SUM(e.clicks) AS clicks, SUM(e.spend_micros) AS spend_micros
                FROM \(table) e WHERE \(whereSQL)\(existing)
                GROUP BY e.dates, e.hours ORDER BY e.dates, e.hours
                """, arguments
            ).map { r in
                let date = try r.text("dates"), hours = try r.int("hours")
                guard let hour = UTCHour(date: String(date.prefix(10)), hour: Int(hours)) else {
                    throw WarehouseError.unreadableHour(date: date, hour: hours)
                }
                return HourlyPoint(hour: hour, clicks: try r.int("clicks"), spendMicros: try r.int("spend_micros"))
            }
        }
    }

    public func breakdown(_ filter: DashboardFilter, by dimension: BreakdownDimension) async throws -> [BreakdownRow] {
        let (source, arguments) = RollupSource(filter).pairs(filter)
        let column = "e." + dimension.rawValue
        return try await database.read { session in
            try session.query(
                """
                SELECT \(column) AS id, \(Self.funnelSums),
                       CAST(SUM(e.spend_micros) AS DOUBLE) / 1000000.0 / NULLIF(SUM(e.clicks), 0) AS cpc,
                       CAST(SUM(e.conversion) AS DOUBLE) / NULLIF(SUM(e.clicks), 0) AS conversion_rate
                FROM \(source)
                GROUP BY \(column) ORDER BY SUM(e.clicks) DESC, \(column)
                """, arguments
            ).map { r in
                BreakdownRow(
                    id: try r.int32("id"), metrics: try Self.metrics(r),
                    costPerClick: try r.optionalDouble("cpc"), conversionRate: try r.optionalDouble("conversion_rate"))
            }
        }
    }

    public func filterValues() async throws -> FilterValues {
        try await database.read { session in
            let publishers = try session.query("SELECT DISTINCT publisher_id FROM rollup_day WHERE grains > 0 ORDER BY publisher_id").map {
                try $0.int32("publisher_id")
            }
            let campaigns = try session.query("SELECT DISTINCT campaign_id FROM rollup_day WHERE grains > 0 ORDER BY campaign_id").map {
                try $0.int32("campaign_id")
            }
            return FilterValues(publishers: publishers, campaigns: campaigns)
        }
    }
}

import Foundation
import JobPulseCore
import JobPulseWarehouse

// The answers of `/api`, as `openapi.yaml` describes them. Each is built from what the
// warehouse returned, and nothing else; a figure that cannot be computed (a share without
// applications, a cost per click without clicks) is `null`.

/// `GET /api/summary`.
struct SummaryResponse: Encodable, Sendable {
    struct Range: Encodable, Sendable {
        @Nullable var from: String?
        @Nullable var to: String?
    }

    struct Totals: Encodable, Sendable {
        let activeJobs: Int64
        let clicks: Int64
        let conversions: Int64
        let qualifiedApplications: Int64
        let disqualifiedApplications: Int64
        let spend: Double
    }

    /// The newest day with data in the range (never after today, UTC).
    struct Gauges: Encodable, Sendable {
        @Nullable var day: String?
        @Nullable var qualifiedShare: Double?
        @Nullable var disqualifiedShare: Double?
        let qualifiedApplications: Int64
        let disqualifiedApplications: Int64
    }

    struct Freshness: Encodable, Sendable {
        @Nullable var newestEventAt: String?
        @Nullable var dataAgeSeconds: Double?
        @Nullable var lastCommitAt: String?
        let lagEvents: Int64
        let lagIsLowerBound: Bool
    }

    let range: Range
    let totals: Totals
    let gauges: Gauges
    let freshness: Freshness
}

/// `GET /api/top-jobs`.
struct TopJobsResponse: Encodable, Sendable {
    struct Job: Encodable, Sendable {
        let jobId: Int32
        @Nullable var title: String?
        @Nullable var companyId: Int32?
        let clicks: Int64
        let spend: Double
        let conversions: Int64
    }

    let jobs: [Job]

    init(_ rankings: [JobRanking]) {
        jobs = rankings.map { job in
            Job(
                jobId: job.jobID, title: job.title, companyId: job.companyID, clicks: job.metrics.clicks, spend: job.metrics.spend,
                conversions: job.metrics.conversions)
        }
    }
}

/// `GET /api/hourly`.
struct HourlyResponse: Encodable, Sendable {
    struct Point: Encodable, Sendable {
        let hour: String
        let clicks: Int64
        let spend: Double
    }

    let points: [Point]

    init(_ points: [HourlyPoint]) {
        self.points = points.map { Point(hour: $0.hour.iso8601, clicks: $0.clicks, spend: Money.amount(micros: $0.spendMicros)) }
    }
}

/// `GET /api/publishers` and `GET /api/campaigns`: each row is keyed by its dimension's column
/// (`publisher_id` or `campaign_id`).
struct BreakdownResponse: Encodable, Sendable {
    struct Row: Encodable, Sendable {
        let dimension: BreakdownDimension
        let id: Int32
        let clicks: Int64
        let spend: Double
        @Nullable var cpc: Double?
        let conversions: Int64
        @Nullable var conversionRate: Double?
        let qualifiedApplications: Int64
        let disqualifiedApplications: Int64

        private enum CodingKeys: String, CodingKey {
            case clicks, spend, cpc, conversions, conversionRate, qualifiedApplications, disqualifiedApplications
        }

        /// The dimension's own key, beside the figures.
        private struct DimensionKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var dimensionContainer = encoder.container(keyedBy: DimensionKey.self)
            try dimensionContainer.encode(id, forKey: DimensionKey(stringValue: dimension.rawValue))
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(clicks, forKey: .clicks)
            try container.encode(spend, forKey: .spend)
            try container.encode(_cpc, forKey: .cpc)
            try container.encode(conversions, forKey: .conversions)
            try container.encode(_conversionRate, forKey: .conversionRate)
            try container.encode(qualifiedApplications, forKey: .qualifiedApplications)
            try container.encode(disqualifiedApplications, forKey: .disqualifiedApplications)
        }
    }

    let rows: [Row]

    init(_ rows: [BreakdownRow], by dimension: BreakdownDimension) {
        self.rows = rows.map { row in
            Row(
                dimension: dimension, id: row.id, clicks: row.metrics.clicks, spend: row.metrics.spend, cpc: row.costPerClick,
                conversions: row.metrics.conversions, conversionRate: row.conversionRate, qualifiedApplications: row.metrics.qualified,
                disqualifiedApplications: row.metrics.unqualified)
        }
    }
}

/// `GET /api/filters`.
struct FiltersResponse: Encodable, Sendable {
    let publishers: [Int32]
    let campaigns: [Int32]
}

/// The `data` of a `commit` event on `/api/stream`: the commit, and the default view's figures
/// computed after it (absent when they could not be).
struct CommitAnnouncement: Encodable, Sendable {
    let position: String
    let committedAt: String
    var figures: DefaultView.Figures?
}

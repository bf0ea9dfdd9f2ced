import CQLClient
import JobPulseCore

/// An event's typed values as the `n_` columns of `tracking` hold them, beside its raw text
/// columns: what the normalization rules gave it at admission, and all the ETL reads of it.
///
/// An event the rules could not type (no readable `ts`) is stored as kind *other*, ids 0, bid 0
/// and no event time, as the SQLite lake stores it.
enum TypedColumns {
    /// Names and CQL types, in the order every statement lists them.
    static let definitions: [(name: String, type: String)] = [
        ("n_kind", "int"), ("n_job_id", "int"), ("n_publisher_id", "int"), ("n_campaign_id", "int"),
        ("n_group_id", "int"), ("n_bid_micros", "bigint"), ("n_event_time", "bigint"),
    ]

    static var names: [String] { definitions.map(\.name) }

    /// The values stored for `event`, in the order of ``definitions``: null for no event time.
    static func values(of event: NormalizedEvent?) -> [CQLValue] {
        [
            .int(Int32(event?.kind.code ?? 0)), .int(event?.jobID ?? 0), .int(event?.publisherID ?? 0),
            .int(event?.campaignID ?? 0), .int(event?.groupID ?? 0), .bigint(event?.bidMicros ?? 0),
            event.map { .bigint($0.eventTime) } ?? .null,
        ]
    }

    /// The event that `values` (read in the order of ``definitions``) hold; `nil` without an
    /// event time, or with values no release writes: a kind code no release knows, or a column
    /// left empty (a row written before the typed columns existed and not yet filled). The ETL
    /// counts such an event as unusable, and `jobpulse reprocess` types it again.
    static func event(from values: ArraySlice<CQLValue>) -> NormalizedEvent? {
        guard values.count == definitions.count else { return nil }
        let at = values.startIndex
        guard case .int(let code) = values[at], let kind = EventKind(code: Int(code)),
            case .int(let job) = values[at + 1], case .int(let publisher) = values[at + 2],
            case .int(let campaign) = values[at + 3], case .int(let group) = values[at + 4],
            case .bigint(let bid) = values[at + 5], case .bigint(let time) = values[at + 6]
        else { return nil }
        return NormalizedEvent(
            kind: kind, jobID: job, publisherID: publisher, campaignID: campaign, groupID: group,
            bidMicros: bid, eventTime: time)
    }
}

/// The 29 columns of the tracking log, in the order of its CSV export.
///
/// The lake keeps every one of them verbatim; only the normalization rules read meaning into them.
public enum TrackingField: String, CaseIterable, Sendable {
    case createTime = "create_time"
    case bid, bn
    case campaignID = "campaign_id"
    case cd
    case customTrack = "custom_track"
    case de, dl, dt, ed, ev
    case groupID = "group_id"
    case id
    case jobID = "job_id"
    case md
    case publisherID = "publisher_id"
    case rl, sr, ts, tz, ua, uid
    case utmCampaign = "utm_campaign"
    case utmContent = "utm_content"
    case utmMedium = "utm_medium"
    case utmSource = "utm_source"
    case utmTerm = "utm_term"
    case v, vp

    /// The column's position in a raw event and in the CSV export. (A scan of 29 enum tags is
    /// cheaper than hashing, and this is on every hot path.)
    public var index: Int { Self.allCases.firstIndex(of: self)! }

    /// The field for a column name, as it appears in a CSV header or a JSON event.
    public init?(columnName: String) {
        self.init(rawValue: columnName)
    }

    public static let count = allCases.count
    public static let columnNames: [String] = allCases.map(\.rawValue)
}

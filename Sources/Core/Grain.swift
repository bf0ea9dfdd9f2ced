/// The warehouse's unit of aggregation: one job, on one publisher, campaign and group, in one UTC
/// hour. The warehouse holds exactly one `events` row per grain.
public struct Grain: Sendable, Hashable, Comparable {
    public var jobID: Int32
    public var hour: UTCHour
    public var publisherID: Int32
    public var campaignID: Int32
    public var groupID: Int32

    public init(jobID: Int32, hour: UTCHour, publisherID: Int32, campaignID: Int32, groupID: Int32) {
        self.jobID = jobID
        self.hour = hour
        self.publisherID = publisherID
        self.campaignID = campaignID
        self.groupID = groupID
    }

    public init(_ event: NormalizedEvent) {
        self.init(
            jobID: event.jobID, hour: event.hour, publisherID: event.publisherID,
            campaignID: event.campaignID, groupID: event.groupID)
    }

    public static func < (a: Grain, b: Grain) -> Bool {
        (a.hour, a.jobID, a.publisherID, a.campaignID, a.groupID)
            < (b.hour, b.jobID, b.publisherID, b.campaignID, b.groupID)
    }
}

import JobPulseCore

/// The simulated market: companies posting jobs, in campaigns and groups, advertised on
/// publishers that differ in volume, price and the quality of the candidates they send.
public struct TrafficModel: Sendable {
    public struct Publisher: Sendable {
        public var id: Int32
        public var name: String
        /// Share of the traffic.
        public var weight: Double
        /// Bid range per click, in cents.
        public var bidCents: ClosedRange<Int>
        /// Relative frequency of each event kind on this publisher.
        public var kindWeights: [Kind: Double]
    }

    /// What a generated event is meant to be.
    public enum Kind: String, Sendable, CaseIterable {
        case click, conversion, qualified, unqualified
        case alive, redirect, interviewScheduled = "interview_scheduled", pageView = ""

        public var eventKind: EventKind { EventKind(name: rawValue) }
    }

    public var companies: Int
    public var jobs: Int
    public var campaigns: Int
    public var groups: Int
    public var publishers: [Publisher]
    /// Share of events whose job, ids and kind sit only in `ed`, as the browser tracker writes them.
    public var browserShare = 0.35
    /// Share of browser events whose `publisherId` is a list (`"4,1,2,3,5"`), which attributes to 0.
    public var listedPublisherShare = 0.06
    /// Share of browser events without a job id at all.
    public var unattributedShare = 0.04
    /// Share of events that arrive late: their `ts` lies one to six hours before their arrival.
    public var lateShare = 0.03
    /// Share of rows with a missing or unreadable `ts`, which ingestion must reject.
    public var malformedShare = 0.005
    /// Share of clicks without a bid.
    public var missingBidShare = 0.03

    public static let standard = TrafficModel(
        companies: 24, jobs: 300, campaigns: 30, groups: 60,
        publishers: [
            Publisher(
                id: 1, name: "JobBoard Prime", weight: 0.30, bidCents: 40...120,
                kindWeights: [.click: 60, .conversion: 5, .qualified: 9, .unqualified: 4, .alive: 7, .redirect: 5, .interviewScheduled: 2, .pageView: 8]),
            Publisher(
                id: 2, name: "SearchAds", weight: 0.25, bidCents: 20...90,
                kindWeights: [.click: 70, .conversion: 3, .qualified: 4, .unqualified: 6, .alive: 6, .redirect: 4, .interviewScheduled: 1, .pageView: 6]),
            Publisher(
                id: 3, name: "CareerHub", weight: 0.15, bidCents: 60...200,
                kindWeights: [.click: 50, .conversion: 8, .qualified: 14, .unqualified: 3, .alive: 8, .redirect: 5, .interviewScheduled: 4, .pageView: 8]),
            Publisher(
                id: 4, name: "LocalJobs", weight: 0.12, bidCents: 10...45,
                kindWeights: [.click: 65, .conversion: 2, .qualified: 3, .unqualified: 9, .alive: 7, .redirect: 5, .interviewScheduled: 1, .pageView: 8]),
            Publisher(
                id: 5, name: "TechTalent", weight: 0.10, bidCents: 150...400,
                kindWeights: [.click: 55, .conversion: 10, .qualified: 12, .unqualified: 2, .alive: 6, .redirect: 4, .interviewScheduled: 5, .pageView: 6]),
            Publisher(
                id: 6, name: "Aggregator X", weight: 0.08, bidCents: 5...25,
                kindWeights: [.click: 75, .conversion: 1, .qualified: 2, .unqualified: 8, .alive: 5, .redirect: 4, .interviewScheduled: 0.5, .pageView: 4.5]),
        ]
    )
}

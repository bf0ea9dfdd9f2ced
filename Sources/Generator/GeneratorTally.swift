import JobPulseCore

/// What the generator meant to produce, counted on its own (not by the normalization code), so
/// that the pipeline's results can be checked against it.
public struct GeneratorTally: Sendable, Hashable, Codable {
    public var received = 0
    /// Rows with a missing or unreadable `ts`.
    public var malformed = 0
    public var clicks: Int64 = 0
    public var conversions: Int64 = 0
    public var qualified: Int64 = 0
    public var unqualified: Int64 = 0
    public var other = 0
    public var spendMicros: Int64 = 0
    public var late = 0
    /// Funnel events per attributed job (job 0 excluded).
    public var funnelByJob: [Int32: Int] = [:]
    /// Clicks per publisher as the rules attribute them (0 for listed ids).
    public var clicksByPublisher: [Int32: Int64] = [:]

    public init() {}

    public var accepted: Int { received - malformed }
    public var funnel: Int { Int(clicks + conversions + qualified + unqualified) }
    public var activeJobs: Int { funnelByJob.count }
}

/// The per-grain deltas of a set of events, with the counts that account for every event:
/// `events = funnel + other`. Its counts saturate like ``FunnelMetrics``' sums, so no batch traps.
public struct BatchAggregate: Sendable {
    public private(set) var deltas: [Grain: FunnelMetrics] = [:]
    /// Events that added to a funnel metric.
    public private(set) var funnel: Int = 0
    /// Events of any other kind: counted, added to no metric.
    public private(set) var other: Int = 0
    /// The newest event time seen, epoch milliseconds.
    public private(set) var newestEventTime: Int64?

    public init() {}

    public var events: Int { Saturating.add(funnel, other) }

    public mutating func add(_ event: NormalizedEvent) {
        newestEventTime = max(newestEventTime ?? event.eventTime, event.eventTime)
        guard event.kind.isFunnel else {
            other = Saturating.add(other, 1)
            return
        }
        funnel = Saturating.add(funnel, 1)
        deltas[Grain(event), default: FunnelMetrics()].add(event)
    }

    /// Adds another aggregate's events (of the same batch, aggregated apart).
    public mutating func merge(_ other: BatchAggregate) {
        for (grain, metrics) in other.deltas { deltas[grain, default: FunnelMetrics()] += metrics }
        funnel = Saturating.add(funnel, other.funnel)
        self.other = Saturating.add(self.other, other.other)
        if let newest = other.newestEventTime { newestEventTime = max(newestEventTime ?? newest, newest) }
    }

    /// Counts an event whose `ts` could not be read as *other* (ingestion refuses such rows, so
    /// only a lake written by other means holds one).
    public mutating func addUnreadable() { other = Saturating.add(other, 1) }

    /// Aggregates raw events with the normalization rules. Events whose `ts` cannot be read are
    /// returned apart; a lake never holds one, since ingestion rejects them.
    public static func of(_ events: some Sequence<RawEvent>) -> (aggregate: BatchAggregate, unreadable: Int) {
        var aggregate = BatchAggregate()
        var unreadable = 0
        for event in events {
            switch Normalization.normalize(event) {
            case .success(let normalized): aggregate.add(normalized)
            case .failure: unreadable = Saturating.add(unreadable, 1)
            }
        }
        return (aggregate, unreadable)
    }
}

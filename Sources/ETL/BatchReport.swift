import JobPulseCore

/// What one committed batch did; logged, and summed into a ``RunReport``.
public struct BatchReport: Sendable {
    public var from: String?
    public var to: String
    /// Events read: `funnel + other`.
    public var events: Int { funnel + other }
    public var funnel: Int
    public var other: Int
    /// Grains (warehouse rows) the batch added to.
    public var grains: Int
    public var milliseconds: Int64
    /// Events still after the new position.
    public var lagEvents: Int
    public var newestEventTime: Int64?
}

/// The sum of the batches of one run.
public struct RunReport: Sendable {
    public var batches = 0
    public var funnel = 0
    public var other = 0
    public var grains = 0
    public var position: String?
    public var events: Int { funnel + other }

    public init() {}

    public mutating func add(_ batch: BatchReport) {
        batches += 1
        funnel += batch.funnel
        other += batch.other
        grains += batch.grains
        position = batch.to
    }
}

import JobPulseLake

/// A lake that is `base` in everything but what a test hooks: its count (to count or slow the
/// calls, or make them fail) and its close (to record it).
package struct HookedLake: EventLake {
    package let base: any EventLake
    let counting: (@Sendable (LakePosition?) async throws -> Int)?
    let closing: (@Sendable () async -> Void)?

    package init(
        base: any EventLake, counting: (@Sendable (LakePosition?) async throws -> Int)? = nil, closing: (@Sendable () async -> Void)? = nil
    ) {
        self.base = base
        self.counting = counting
        self.closing = closing
    }

    package var kind: String { base.kind }
    package func identity() async throws -> String { try await base.identity() }
    package func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] { try await base.write(writes) }
    package func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] { try await base.read(after: position, limit: limit) }
    package func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        try await base.readNormalized(after: position, limit: limit)
    }
    package func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport {
        try await base.reprocess(progress: progress)
    }
    package func count(after position: LakePosition?) async throws -> Int {
        if let counting { return try await counting(position) }
        return try await base.count(after: position)
    }
    package var countLimit: Int? { base.countLimit }
    package func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int) { try await base.quarantine(limit: limit) }
    package func close() async {
        if let closing { await closing() } else { await base.close() }
    }
}

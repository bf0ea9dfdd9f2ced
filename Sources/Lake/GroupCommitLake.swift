import JobPulseCore

/// A lake whose writes are grouped: writes that arrive while one is under way wait and go
/// together in the next transaction. Every caller still returns only once its own events are
/// durable (or learns that the group failed, and then none of them was stored), but many
/// concurrent collectors share one commit and one `fsync` instead of queueing for their own.
///
/// Keyed writes group too: the group's transaction looks up each write's key, so two writes with
/// the same key in one group store once, and the second is answered with the first's receipt.
public final class GroupCommitLake: EventLake {
    public let base: any EventLake
    private let queue = WriteQueue()

    public init(base: any EventLake) { self.base = base }

    public var kind: String { base.kind }
    public func identity() async throws -> String { try await base.identity() }

    public func write(_ writes: [LakeWrite]) async throws -> [LakeWriteOutcome] {
        try await queue.write(writes, to: base)
    }

    public func read(after position: LakePosition?, limit: Int) async throws -> [LakeRecord] {
        try await base.read(after: position, limit: limit)
    }

    public func readNormalized(after position: LakePosition?, limit: Int) async throws -> [NormalizedRecord] {
        try await base.readNormalized(after: position, limit: limit)
    }

    public func reprocess(progress: @escaping @Sendable (Int) -> Void) async throws -> ReprocessReport {
        try await base.reprocess(progress: progress)
    }

    public func count(after position: LakePosition?) async throws -> Int { try await base.count(after: position) }
    public var countLimit: Int? { base.countLimit }
    public func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int) { try await base.quarantine(limit: limit) }

    private actor WriteQueue {
        private var pending: [(writes: [LakeWrite], done: CheckedContinuation<[LakeWriteOutcome], any Error>)] = []
        private var writing = false

        func write(_ writes: [LakeWrite], to lake: any EventLake) async throws -> [LakeWriteOutcome] {
            try await withCheckedThrowingContinuation { (done: CheckedContinuation<[LakeWriteOutcome], any Error>) in
                pending.append((writes, done))
                if !writing {
                    writing = true
                    // The drain outlives the request that started it (it commits later requests'
                    // writes too); every request waits on its own continuation.
                    Task { await self.drain(to: lake) }
                }
            }
        }

        private func drain(to lake: any EventLake) async {
            while !pending.isEmpty {
                let group = pending
                pending = []
                do {
                    var outcomes = try await lake.write(group.flatMap(\.writes))[...]
                    for writer in group {
                        writer.done.resume(returning: Array(outcomes.prefix(writer.writes.count)))
                        outcomes = outcomes.dropFirst(writer.writes.count)
                    }
                } catch {
                    for writer in group { writer.done.resume(throwing: error) }
                }
            }
            writing = false
        }
    }
}

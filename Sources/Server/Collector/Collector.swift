import Foundation
import JobPulseCore
import JobPulseETL
import JobPulseLake
import Metrics

/// Puts what arrives over HTTP into the lake: durable before the answer, counted, and the ETL
/// woken so that it shows on the dashboard about one interval later.
struct Collector: Sendable {
    let lake: any EventLake
    let wake: WakeSignal?

    private let received = Counter(label: "jobpulse_events_received_total")
    private let accepted = Counter(label: "jobpulse_events_accepted_total")
    private let rejected = Counter(label: "jobpulse_events_rejected_total")
    private let replayed = Counter(label: "jobpulse_intakes_replayed_total")

    init(lake: any EventLake, wake: WakeSignal?) {
        self.lake = lake
        self.wake = wake
    }

    func store(_ batch: IntakeBatch) async throws -> IntakeCount {
        var batch = batch
        let count = try await batch.flush(to: lake)
        counted(count)
        return count
    }

    /// Stores `batch` under `key`, or answers the receipt the key already has; a replay stores
    /// nothing, so it adds to no event counter.
    func store(_ batch: IntakeBatch, key: IntakeKey, fingerprint: String) async throws -> (receipt: IntakeReceipt, replayed: Bool) {
        var batch = batch
        let answer = try await batch.flush(to: lake, key: key, fingerprint: fingerprint)
        if answer.replayed {
            replayed.increment()
        } else {
            counted(answer.receipt.count)
        }
        return answer
    }

    private func counted(_ count: IntakeCount) {
        received.increment(by: count.received)
        accepted.increment(by: count.accepted)
        rejected.increment(by: count.rejected)
        if count.accepted > 0 { wake?.signal() }
    }
}

import JobPulseCore

/// The answer of `POST /v1/events`: `received = accepted + rejected`, and each rejected row with
/// its index in the body and the reason.
struct IntakeResponse: Encodable, Sendable {
    struct RejectedRow: Encodable, Sendable {
        let index: Int
        let reason: String
    }

    let received: Int
    let accepted: Int
    let rejected: Int
    let errors: [RejectedRow]

    init(_ count: IntakeCount, errors: [(index: Int, reason: String)]) {
        received = count.received
        accepted = count.accepted
        rejected = count.rejected
        self.errors = errors.map { RejectedRow(index: $0.index, reason: $0.reason) }
    }
}

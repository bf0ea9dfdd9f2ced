/// The answer of `GET /healthz`, as `openapi.yaml` describes it. A part that could not be reached
/// says so with `ok: false` and its error; the ETL's figures appear only for the parts that
/// answered (the committed state from the warehouse, the lag from the lake).
struct HealthResponse: Encodable, Sendable {
    enum Status: String, Encodable, Sendable { case ok, degraded, unavailable }

    struct Part: Encodable, Sendable {
        let kind: String
        let ok: Bool
        /// Rows of `events`; the warehouse's only, when it answered.
        var rows: Int64?
        /// Why the part could not be reached; never a password (the URLs' own descriptions hide it).
        var error: String?
    }

    struct ETL: Encodable, Sendable {
        /// What the warehouse holds: present when it answered, each `null` when not yet known.
        struct Committed: Encodable, Sendable {
            @Nullable var position: String?
            @Nullable var lastCommitAt: String?
            @Nullable var dataAgeSeconds: Double?
            @Nullable var leaseOwner: String?
            let unusableEvents: Int64
        }

        /// What the lake holds after the committed position: present when it answered.
        struct Lag: Encodable, Sendable {
            let lagEvents: Int64
            let lagIsLowerBound: Bool
        }

        let runningHere: Bool
        var committed: Committed?
        var lag: Lag?

        private enum CodingKeys: String, CodingKey { case runningHere }

        /// One flat object: the parts' keys beside `running_here`.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runningHere, forKey: .runningHere)
            try committed?.encode(to: encoder)
            try lag?.encode(to: encoder)
        }
    }

    let status: Status
    let lake: Part
    let warehouse: Part
    let etl: ETL
}

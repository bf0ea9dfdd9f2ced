import NIOCore

/// Which replicas failed a read or write.
///
/// v3 and v4 only send a count; v5 sends a reason code per replica address.
public struct CQLReplicaFailures: Sendable, Hashable {
    /// One failed replica (v5).
    public struct Reason: Sendable, Hashable {
        /// The replica's IP address as text.
        public var address: String
        /// The server's failure reason code.
        public var code: UInt16

        public init(address: String, code: UInt16) {
            self.address = address
            self.code = code
        }
    }

    /// Number of replicas that failed.
    public var count: Int
    /// Per-replica reasons; empty before v5.
    public var reasons: [Reason]

    public init(count: Int, reasons: [Reason] = []) {
        self.count = count
        self.reasons = reasons
    }

    static func decode(from body: inout ByteBuffer, version: CQLProtocolVersion) throws -> CQLReplicaFailures {
        let count = try body.readCQLInt("failure count")
        guard version >= .v5 else {
            return CQLReplicaFailures(count: Int(count))
        }
        var reasons: [Reason] = []
        for _ in 0..<max(count, 0) {
            let address = try body.readCQLInetAddress("failure reason endpoint")
            let code = try body.readCQLShort("failure reason code")
            reasons.append(Reason(address: address, code: code))
        }
        return CQLReplicaFailures(count: reasons.count, reasons: reasons)
    }
}

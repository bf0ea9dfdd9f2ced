/// Failures detected on the client side: transport, protocol violations, misuse.
///
/// Errors reported by the server arrive as ``CQLServerError`` instead.
public enum CQLClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The connection closed (or broke) before the response arrived.
    case connectionClosed
    /// Opening the TCP (or TLS) connection, or the handshake, took longer than allowed.
    case connectTimeout
    /// No response arrived within the request timeout.
    case requestTimedOut
    /// Bytes from the server do not follow the protocol.
    case malformedMessage(String)
    /// A v5 frame failed its header (CRC24) or payload (CRC32) check.
    case checksumMismatch(String)
    /// The server answered with a message that does not fit the request.
    case unexpectedResponse(CQLOpcode)
    /// The operation succeeded but its result is not of the kind the caller asked for.
    case unexpectedResult(String)
    /// A request could not be encoded (a value too large for its length prefix, ...).
    case encodingFailed(String)
    /// The server rejected every protocol version that was offered.
    case unsupportedProtocolVersions([CQLProtocolVersion])
    /// The server asked for authentication but no authenticator was configured.
    case authenticationRequired(authenticator: String)
    /// All 32768 stream ids of the connection are waiting for responses.
    case streamIDsExhausted
    /// The node is waiting before the next connection attempt after failures.
    case nodeUnavailable(CQLEndpoint, reason: String)
    /// Every node of the pool failed for this request; one entry per node tried.
    case noNodeAvailable([CQLNodeFailure])
    /// The pool or connection was shut down.
    case shutDown

    public var description: String {
        switch self {
        case .connectionClosed: "connection closed"
        case .connectTimeout: "connect timeout"
        case .requestTimedOut: "request timed out"
        case .malformedMessage(let detail): "malformed message: \(detail)"
        case .checksumMismatch(let detail): "checksum mismatch: \(detail)"
        case .unexpectedResponse(let opcode): "unexpected \(opcode) response"
        case .unexpectedResult(let detail): "unexpected result: \(detail)"
        case .encodingFailed(let detail): "cannot encode request: \(detail)"
        case .unsupportedProtocolVersions(let versions):
            "server rejected protocol versions \(versions.map(\.description).joined(separator: ", "))"
        case .authenticationRequired(let authenticator): "server requires authentication (\(authenticator))"
        case .streamIDsExhausted: "no free stream id on the connection"
        case .nodeUnavailable(let endpoint, let reason): "\(endpoint) unavailable: \(reason)"
        case .noNodeAvailable(let failures):
            "no node available: " + failures.map { "\($0.endpoint): \($0.reason)" }.joined(separator: "; ")
        case .shutDown: "shut down"
        }
    }
}

/// Why one node could not serve a request.
public struct CQLNodeFailure: Sendable, Equatable {
    public var endpoint: CQLEndpoint
    /// A description of the error the node gave.
    public var reason: String
    /// The error itself.
    public var error: any Error

    public init(endpoint: CQLEndpoint, error: any Error) {
        self.endpoint = endpoint
        self.error = error
        self.reason = String(describing: error)
    }

    public static func == (lhs: CQLNodeFailure, rhs: CQLNodeFailure) -> Bool {
        lhs.endpoint == rhs.endpoint && lhs.reason == rhs.reason
    }
}

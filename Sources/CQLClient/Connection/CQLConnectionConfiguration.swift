import NIOCore
import NIOSSL

/// How to open and use one connection.
public struct CQLConnectionConfiguration: Sendable {
    /// Answers the server's authentication challenge; nil when the server needs none.
    public var authenticator: (any CQLAuthenticator)?
    /// TLS settings; nil (the default) for plain TCP.
    public var tls: TLSConfiguration?
    /// The name checked against the server certificate and sent as SNI; the endpoint's host when nil.
    public var tlsServerHostname: String?
    /// Keyspace selected with `USE` right after the handshake.
    public var keyspace: String?
    /// Versions to offer, preferred first. When the server rejects one as unsupported,
    /// a new connection offers the next.
    public var protocolVersions: [CQLProtocolVersion]
    /// Limit for opening the connection, and for each handshake step.
    public var connectTimeout: Duration
    /// Limit for each request, unless its options set another.
    public var requestTimeout: Duration
    /// Consistency for statements whose options set none.
    public var defaultConsistency: CQLConsistency
    /// After ``CQLConnection/close()`` stops new requests, how long requests in flight may still take.
    public var closeGracePeriod: Duration

    public init(
        authenticator: (any CQLAuthenticator)? = nil,
        tls: TLSConfiguration? = nil,
        tlsServerHostname: String? = nil,
        keyspace: String? = nil,
        protocolVersions: [CQLProtocolVersion] = CQLProtocolVersion.supported,
        connectTimeout: Duration = .seconds(5),
        requestTimeout: Duration = .seconds(12),
        defaultConsistency: CQLConsistency = .localOne,
        closeGracePeriod: Duration = .seconds(5)
    ) {
        self.authenticator = authenticator
        self.tls = tls
        self.tlsServerHostname = tlsServerHostname
        self.keyspace = keyspace
        self.protocolVersions = protocolVersions
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.defaultConsistency = defaultConsistency
        self.closeGracePeriod = closeGracePeriod
    }

    /// Sets ``authenticator`` to a ``CQLPasswordAuthenticator``.
    public mutating func setCredentials(username: String, password: String) {
        authenticator = CQLPasswordAuthenticator(username: username, password: password)
    }
}

extension Duration {
    /// The same span as a NIO `TimeAmount`.
    var timeAmount: TimeAmount {
        let (seconds, attoseconds) = components
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .nanoseconds(seconds < 0 ? .min : .max) }
        return .nanoseconds(nanoseconds.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue)
    }
}

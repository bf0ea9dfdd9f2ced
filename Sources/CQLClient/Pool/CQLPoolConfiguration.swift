/// How a ``CQLConnectionPool`` reaches its nodes.
public struct CQLPoolConfiguration: Sendable {
    /// The nodes to use, each with one multiplexed connection.
    public var contactPoints: [CQLEndpoint]
    /// Settings for every connection.
    public var connection: CQLConnectionConfiguration
    /// Pacing of reconnection attempts to a node that went away.
    public var reconnectionBackoff: CQLReconnectionBackoff

    public init(
        contactPoints: [CQLEndpoint],
        connection: CQLConnectionConfiguration = CQLConnectionConfiguration(),
        reconnectionBackoff: CQLReconnectionBackoff = CQLReconnectionBackoff()
    ) {
        self.contactPoints = contactPoints
        self.connection = connection
        self.reconnectionBackoff = reconnectionBackoff
    }
}

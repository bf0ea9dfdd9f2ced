/// A node's address: host name or IP address, and port.
public struct CQLEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The port Cassandra listens on for the native protocol by default.
    public static let defaultPort = 9042

    public var host: String
    public var port: Int

    public init(host: String, port: Int = CQLEndpoint.defaultPort) {
        self.host = host
        self.port = port
    }

    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

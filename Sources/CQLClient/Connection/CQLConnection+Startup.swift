import Logging
import NIOCore
import NIOPosix
import NIOSSL

extension CQLConnection {
    /// Opens a connection and runs the handshake: STARTUP, authentication if the
    /// server asks for it, then `USE` of the configured keyspace.
    ///
    /// The versions of ``CQLConnectionConfiguration/protocolVersions`` are offered in
    /// order; when the server answers STARTUP with a protocol error about the version,
    /// the connection is closed and the next version is tried on a new one.
    ///
    /// - Throws: ``CQLServerError/authenticationError(message:)`` for bad credentials,
    ///   ``CQLClientError/unsupportedProtocolVersions(_:)`` when every version was refused,
    ///   ``CQLClientError/connectTimeout`` and transport errors otherwise.
    public static func connect(
        to endpoint: CQLEndpoint,
        configuration: CQLConnectionConfiguration = CQLConnectionConfiguration(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "cql.connection")
    ) async throws -> CQLConnection {
        var logger = logger
        logger[metadataKey: "cql.endpoint"] = "\(endpoint)"
        var rejected: [CQLProtocolVersion] = []
        for version in configuration.protocolVersions {
            let channel = try await openChannel(
                to: endpoint, configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger
            )
            let connection = CQLConnection(
                channel: channel, endpoint: endpoint, protocolVersion: version,
                configuration: configuration, logger: logger
            )
            do {
                try await connection.startup()
                logger.debug("connected", metadata: ["cql.version": "\(version)"])
                return connection
            } catch let rejection as ProtocolVersionRejected {
                logger.debug(
                    "server rejected protocol version",
                    metadata: ["cql.version": "\(version)", "cql.reason": "\(rejection.message)"]
                )
                rejected.append(version)
                try? await channel.close()
            } catch {
                try? await channel.close()
                throw error
            }
        }
        throw CQLClientError.unsupportedProtocolVersions(rejected)
    }

    private static func openChannel(
        to endpoint: CQLEndpoint,
        configuration: CQLConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws -> any Channel {
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        let serverHostname = configuration.tlsServerHostname ?? endpoint.host
        let bootstrap = ClientBootstrap(group: eventLoopGroup)
            .connectTimeout(configuration.connectTimeout.timeAmount)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        let hostname = serverHostname.isIPAddress ? nil : serverHostname
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: hostname))
                    }
                    try pipeline.addHandler(ByteToMessageHandler(CQLFrameDecoder()))
                    try pipeline.addHandler(MessageToByteHandler(CQLFrameEncoder()))
                    try pipeline.addHandler(CQLRequestMultiplexer(logger: logger))
                }
            }
        do {
            return try await bootstrap.connect(host: endpoint.host, port: endpoint.port).get()
        } catch ChannelError.connectTimeout {
            throw CQLClientError.connectTimeout
        }
    }

    /// STARTUP, then the authentication exchange if the server asks for one.
    private func startup() async throws {
        let timeout = configuration.connectTimeout
        let frame = try await roundTrip(CQLStartupMessage(), timeout: timeout)
        let response = try CQLResponse(decoding: frame)
        switch response.message {
        case .ready:
            break
        case .authenticate(let authenticatorClass):
            try await authenticate(with: authenticatorClass, timeout: timeout)
        case .error(let error):
            if frame.version != protocolVersion || error.rejectsProtocolVersion {
                throw ProtocolVersionRejected(message: error.message)
            }
            throw error
        default:
            throw CQLClientError.unexpectedResponse(frame.opcode)
        }
        if let keyspace = configuration.keyspace {
            let quoted = "\"" + keyspace.replacing("\"", with: "\"\"") + "\""
            _ = try await run(.query("USE \(quoted)", values: [], options: CQLQueryOptions(timeout: timeout)))
        }
    }

    private func authenticate(with authenticatorClass: String, timeout: Duration) async throws {
        guard let authenticator = configuration.authenticator else {
            throw CQLClientError.authenticationRequired(authenticator: authenticatorClass)
        }
        logger.debug("authenticating", metadata: ["cql.authenticator": "\(authenticatorClass)"])
        var token = try authenticator.initialResponse(authenticator: authenticatorClass)
        while true {
            let response = try await send(CQLAuthResponseMessage(token: token), timeout: timeout)
            switch response.message {
            case .authSuccess:
                return
            case .authChallenge(let challenge):
                token = try authenticator.evaluateChallenge(challenge)
            case .error(let error):
                throw error
            default:
                throw CQLClientError.unexpectedResponse(response.message.opcode)
            }
        }
    }
}

/// The server refused the offered protocol version; the caller may retry with an older one.
private struct ProtocolVersionRejected: Error {
    var message: String
}

extension CQLServerError {
    /// A protocol error that names the protocol version as its cause.
    var rejectsProtocolVersion: Bool {
        guard case .protocolError(let message) = self else { return false }
        return message.lowercased().contains("version")
    }
}

extension String {
    fileprivate var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}

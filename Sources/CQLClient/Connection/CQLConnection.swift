import Logging
import NIOCore
import NIOPosix

/// One connection to one node, with the protocol version agreed at startup.
///
/// Requests may be issued concurrently: each gets its own stream id and they share
/// the connection. All methods are safe to call from any task; none blocks an event loop.
public final class CQLConnection: CQLSession, Sendable {
    public let endpoint: CQLEndpoint
    /// The version the server accepted.
    public let protocolVersion: CQLProtocolVersion
    let channel: any Channel
    let configuration: CQLConnectionConfiguration
    let logger: Logger

    init(
        channel: any Channel,
        endpoint: CQLEndpoint,
        protocolVersion: CQLProtocolVersion,
        configuration: CQLConnectionConfiguration,
        logger: Logger
    ) {
        self.channel = channel
        self.endpoint = endpoint
        self.protocolVersion = protocolVersion
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether the underlying channel is still open.
    public var isActive: Bool { channel.isActive }

    /// Completes when the connection has closed, for whatever reason.
    public var closeFuture: EventLoopFuture<Void> { channel.closeFuture }

    /// Sends a request and returns the decoded response, whatever its kind.
    ///
    /// - Throws: ``CQLClientError/requestTimedOut`` after `timeout` (the configured request
    ///   timeout when nil), ``CQLClientError/connectionClosed`` if the connection goes away first.
    public func send(_ message: some CQLRequestMessage, timeout: Duration? = nil) async throws -> CQLResponse {
        let frame = try await roundTrip(message, timeout: timeout ?? configuration.requestTimeout)
        let response = try CQLResponse(decoding: frame)
        if !response.warnings.isEmpty {
            logger.warning(
                "server warnings",
                metadata: ["cql.endpoint": "\(endpoint)", "cql.warnings": "\(response.warnings)"]
            )
        }
        return response
    }

    /// Sends a request and returns the raw response frame.
    func roundTrip(_ message: some CQLRequestMessage, timeout: Duration) async throws -> CQLFrame {
        let responsePromise = channel.eventLoop.makePromise(of: CQLFrame.self)
        let request = CQLPendingRequest(
            message: message,
            version: protocolVersion,
            timeout: timeout.timeAmount,
            responsePromise: responsePromise
        )
        let writePromise = channel.eventLoop.makePromise(of: Void.self)
        writePromise.futureResult.whenFailure { error in
            // A closed channel fails the write before the multiplexer sees it.
            responsePromise.fail(error is ChannelError ? CQLClientError.connectionClosed : error)
        }
        channel.writeAndFlush(request, promise: writePromise)
        return try await withTaskCancellationHandler {
            try await responsePromise.futureResult.get()
        } onCancel: {
            responsePromise.fail(CancellationError())
        }
    }

    /// Stops taking requests, waits (up to the configured grace period) for the
    /// responses still expected, then closes.
    public func close() async {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.triggerUserOutboundEvent(
            CQLCloseWhenIdle(gracePeriod: configuration.closeGracePeriod.timeAmount),
            promise: promise
        )
        try? await promise.futureResult.get()
        try? await channel.closeFuture.get()
    }

    /// Asks the server which STARTUP options it supports (OPTIONS / SUPPORTED).
    public func supportedOptions() async throws -> [String: [String]] {
        let response = try await send(CQLOptionsMessage())
        switch response.message {
        case .supported(let options): return options
        case .error(let error): throw error
        default: throw CQLClientError.unexpectedResponse(response.message.opcode)
        }
    }
}

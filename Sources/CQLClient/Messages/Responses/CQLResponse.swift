import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A decoded response frame: the message plus what the header flags put in front of it.
public struct CQLResponse: Sendable {
    /// The messages a server sends.
    public enum Message: Sendable {
        case error(CQLServerError)
        case ready
        /// The server requires authentication with the named authenticator class.
        case authenticate(authenticator: String)
        /// Supported STARTUP options, each with its possible values.
        case supported([String: [String]])
        case result(CQLResult)
        /// A pushed event; only its type is kept, since this module does not REGISTER.
        case event(type: String)
        case authChallenge(token: [UInt8]?)
        case authSuccess(token: [UInt8]?)

        /// The opcode of the frame this message travels in.
        public var opcode: CQLOpcode {
            switch self {
            case .error: .error
            case .ready: .ready
            case .authenticate: .authenticate
            case .supported: .supported
            case .result: .result
            case .event: .event
            case .authChallenge: .authChallenge
            case .authSuccess: .authSuccess
            }
        }
    }

    public var message: Message
    /// Present when the request asked for tracing.
    public var tracingID: UUID?
    /// Warnings the server attached to the response.
    public var warnings: [String]

    public init(message: Message, tracingID: UUID? = nil, warnings: [String] = []) {
        self.message = message
        self.tracingID = tracingID
        self.warnings = warnings
    }

    /// Decodes a response frame. The layout of some bodies depends on the frame's version.
    public init(decoding frame: CQLFrame) throws {
        var body = frame.body
        tracingID = frame.flags.contains(.tracing) ? try body.readCQLUUID("tracing id") : nil
        warnings = frame.flags.contains(.warning) ? try body.readCQLStringList("warnings") : []
        if frame.flags.contains(.customPayload) {
            _ = try body.readCQLBytesMap("custom payload")
        }
        switch frame.opcode {
        case .error:
            message = .error(try CQLServerError.decode(from: &body, version: frame.version))
        case .ready:
            message = .ready
        case .authenticate:
            message = .authenticate(authenticator: try body.readCQLString("authenticator"))
        case .supported:
            message = .supported(try body.readCQLStringMultimap("supported options"))
        case .result:
            message = .result(try CQLResult.decode(from: &body, version: frame.version))
        case .event:
            message = .event(type: try body.readCQLString("event type"))
        case .authChallenge:
            message = .authChallenge(token: try body.readCQLBytesArray("challenge token"))
        case .authSuccess:
            message = .authSuccess(token: try body.readCQLBytesArray("success token"))
        case .startup, .options, .query, .prepare, .execute, .register, .batch, .authResponse:
            throw CQLClientError.unexpectedResponse(frame.opcode)
        }
    }
}

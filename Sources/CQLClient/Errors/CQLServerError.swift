import NIOCore

/// An ERROR message from the server, one case per error code of the specification,
/// with the extra fields each code carries.
public enum CQLServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 0x0000: something unexpected happened on the server.
    case serverError(message: String)
    /// 0x000A: the client broke the protocol (this includes an unsupported protocol version).
    case protocolError(message: String)
    /// 0x0100: authentication failed.
    case authenticationError(message: String)
    /// 0x1000: not enough replicas were alive to reach the consistency level.
    case unavailable(message: String, consistency: CQLConsistency, required: Int32, alive: Int32)
    /// 0x1001: the coordinator is overloaded; the request was not processed.
    case overloaded(message: String)
    /// 0x1002: the coordinator is bootstrapping; the request was not processed.
    case isBootstrapping(message: String)
    /// 0x1003: a truncation failed.
    case truncateError(message: String)
    /// 0x1100: replicas did not acknowledge a write in time. `contentions` is only sent (v5) for CAS writes.
    case writeTimeout(
        message: String, consistency: CQLConsistency, received: Int32, blockFor: Int32,
        writeType: CQLWriteType, contentions: UInt16?
    )
    /// 0x1200: replicas did not answer a read in time.
    case readTimeout(message: String, consistency: CQLConsistency, received: Int32, blockFor: Int32, dataPresent: Bool)
    /// 0x1300: replicas failed a read with something other than a timeout.
    case readFailure(
        message: String, consistency: CQLConsistency, received: Int32, blockFor: Int32,
        failures: CQLReplicaFailures, dataPresent: Bool
    )
    /// 0x1400: a user-defined function failed.
    case functionFailure(message: String, keyspace: String, function: String, argumentTypes: [String])
    /// 0x1500: replicas failed a write with something other than a timeout.
    case writeFailure(
        message: String, consistency: CQLConsistency, received: Int32, blockFor: Int32,
        failures: CQLReplicaFailures, writeType: CQLWriteType
    )
    /// 0x1600 (v5): a write to CDC-tracked data failed.
    case cdcWriteFailure(message: String)
    /// 0x1700 (v5): a contended CAS operation may or may not have been applied.
    case casWriteUnknown(message: String, consistency: CQLConsistency, received: Int32, blockFor: Int32)
    /// 0x2000: the statement does not parse.
    case syntaxError(message: String)
    /// 0x2100: the user lacks a permission.
    case unauthorized(message: String)
    /// 0x2200: the statement parses but is invalid.
    case invalid(message: String)
    /// 0x2300: the statement conflicts with the server configuration.
    case configError(message: String)
    /// 0x2400: the keyspace or table exists; `table` is empty for a keyspace.
    case alreadyExists(message: String, keyspace: String, table: String)
    /// 0x2500: the node does not know this prepared statement id.
    case unprepared(message: String, id: [UInt8])
    /// A code this module does not know.
    case unknown(code: Int32, message: String)

    /// The error code of the specification.
    public var code: Int32 {
        switch self {
        case .serverError: 0x0000
        case .protocolError: 0x000A
        case .authenticationError: 0x0100
        case .unavailable: 0x1000
        case .overloaded: 0x1001
        case .isBootstrapping: 0x1002
        case .truncateError: 0x1003
        case .writeTimeout: 0x1100
        case .readTimeout: 0x1200
        case .readFailure: 0x1300
        case .functionFailure: 0x1400
        case .writeFailure: 0x1500
        case .cdcWriteFailure: 0x1600
        case .casWriteUnknown: 0x1700
        case .syntaxError: 0x2000
        case .unauthorized: 0x2100
        case .invalid: 0x2200
        case .configError: 0x2300
        case .alreadyExists: 0x2400
        case .unprepared: 0x2500
        case .unknown(let code, _): code
        }
    }

    /// The server's human-readable message.
    public var message: String {
        switch self {
        case .serverError(let message), .protocolError(let message), .authenticationError(let message),
            .overloaded(let message), .isBootstrapping(let message), .truncateError(let message),
            .cdcWriteFailure(let message), .syntaxError(let message), .unauthorized(let message),
            .invalid(let message), .configError(let message):
            message
        case .unavailable(let message, _, _, _), .writeTimeout(let message, _, _, _, _, _),
            .readTimeout(let message, _, _, _, _), .readFailure(let message, _, _, _, _, _),
            .functionFailure(let message, _, _, _), .writeFailure(let message, _, _, _, _, _),
            .casWriteUnknown(let message, _, _, _), .alreadyExists(let message, _, _),
            .unprepared(let message, _), .unknown(_, let message):
            message
        }
    }

    public var description: String {
        "server error 0x\(String(UInt32(bitPattern: code), radix: 16)): \(message)"
    }

    /// Whether the server refused the request before executing it, so that another node may take it.
    var requestWasNotExecuted: Bool {
        switch self {
        case .overloaded, .isBootstrapping: true
        default: false
        }
    }

    /// Decodes an ERROR body. Read and write failures changed shape in v5, hence `version`.
    static func decode(from body: inout ByteBuffer, version: CQLProtocolVersion) throws -> CQLServerError {
        let code = try body.readCQLInt("error code")
        let message = try body.readCQLString("error message")
        switch code {
        case 0x0000: return .serverError(message: message)
        case 0x000A: return .protocolError(message: message)
        case 0x0100: return .authenticationError(message: message)
        case 0x1000:
            return .unavailable(
                message: message,
                consistency: try body.readCQLConsistency("unavailable consistency"),
                required: try body.readCQLInt("unavailable required"),
                alive: try body.readCQLInt("unavailable alive")
            )
        case 0x1001: return .overloaded(message: message)
        case 0x1002: return .isBootstrapping(message: message)
        case 0x1003: return .truncateError(message: message)
        case 0x1100:
            let consistency = try body.readCQLConsistency("write timeout consistency")
            let received = try body.readCQLInt("write timeout received")
            let blockFor = try body.readCQLInt("write timeout blockfor")
            let writeType = CQLWriteType(rawValue: try body.readCQLString("write timeout write type"))
            // v5 appends the contention count for CAS writes only.
            let contentions = writeType == .cas ? body.readInteger(as: UInt16.self) : nil
            return .writeTimeout(
                message: message, consistency: consistency, received: received, blockFor: blockFor,
                writeType: writeType, contentions: contentions
            )
        case 0x1200:
            return .readTimeout(
                message: message,
                consistency: try body.readCQLConsistency("read timeout consistency"),
                received: try body.readCQLInt("read timeout received"),
                blockFor: try body.readCQLInt("read timeout blockfor"),
                dataPresent: try body.readCQLByte("read timeout data_present") != 0
            )
        case 0x1300:
            return .readFailure(
                message: message,
                consistency: try body.readCQLConsistency("read failure consistency"),
                received: try body.readCQLInt("read failure received"),
                blockFor: try body.readCQLInt("read failure blockfor"),
                failures: try CQLReplicaFailures.decode(from: &body, version: version),
                dataPresent: try body.readCQLByte("read failure data_present") != 0
            )
        case 0x1400:
            return .functionFailure(
                message: message,
                keyspace: try body.readCQLString("function failure keyspace"),
                function: try body.readCQLString("function failure function"),
                argumentTypes: try body.readCQLStringList("function failure argument types")
            )
        case 0x1500:
            return .writeFailure(
                message: message,
                consistency: try body.readCQLConsistency("write failure consistency"),
                received: try body.readCQLInt("write failure received"),
                blockFor: try body.readCQLInt("write failure blockfor"),
                failures: try CQLReplicaFailures.decode(from: &body, version: version),
                writeType: CQLWriteType(rawValue: try body.readCQLString("write failure write type"))
            )
        case 0x1600: return .cdcWriteFailure(message: message)
        case 0x1700:
            return .casWriteUnknown(
                message: message,
                consistency: try body.readCQLConsistency("CAS write unknown consistency"),
                received: try body.readCQLInt("CAS write unknown received"),
                blockFor: try body.readCQLInt("CAS write unknown blockfor")
            )
        case 0x2000: return .syntaxError(message: message)
        case 0x2100: return .unauthorized(message: message)
        case 0x2200: return .invalid(message: message)
        case 0x2300: return .configError(message: message)
        case 0x2400:
            return .alreadyExists(
                message: message,
                keyspace: try body.readCQLString("already exists keyspace"),
                table: try body.readCQLString("already exists table")
            )
        case 0x2500:
            return .unprepared(message: message, id: try body.readCQLShortBytes("unprepared id"))
        default:
            return .unknown(code: code, message: message)
        }
    }
}

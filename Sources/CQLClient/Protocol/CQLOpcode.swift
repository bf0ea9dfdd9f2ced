/// The operation carried by a frame (one byte of the frame header).
public enum CQLOpcode: UInt8, Sendable, Hashable, CustomStringConvertible {
    case error = 0x00
    case startup = 0x01
    case ready = 0x02
    case authenticate = 0x03
    case options = 0x05
    case supported = 0x06
    case query = 0x07
    case result = 0x08
    case prepare = 0x09
    case execute = 0x0A
    case register = 0x0B
    case event = 0x0C
    case batch = 0x0D
    case authChallenge = 0x0E
    case authResponse = 0x0F
    case authSuccess = 0x10

    public var description: String {
        switch self {
        case .error: "ERROR"
        case .startup: "STARTUP"
        case .ready: "READY"
        case .authenticate: "AUTHENTICATE"
        case .options: "OPTIONS"
        case .supported: "SUPPORTED"
        case .query: "QUERY"
        case .result: "RESULT"
        case .prepare: "PREPARE"
        case .execute: "EXECUTE"
        case .register: "REGISTER"
        case .event: "EVENT"
        case .batch: "BATCH"
        case .authChallenge: "AUTH_CHALLENGE"
        case .authResponse: "AUTH_RESPONSE"
        case .authSuccess: "AUTH_SUCCESS"
        }
    }
}

/// The kind of write that timed out or failed, as named by the server.
///
/// A string-backed type rather than an enum so that kinds added by newer servers still decode.
public struct CQLWriteType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public static let simple = CQLWriteType(rawValue: "SIMPLE")
    public static let batch = CQLWriteType(rawValue: "BATCH")
    public static let unloggedBatch = CQLWriteType(rawValue: "UNLOGGED_BATCH")
    public static let counter = CQLWriteType(rawValue: "COUNTER")
    public static let batchLog = CQLWriteType(rawValue: "BATCH_LOG")
    public static let cas = CQLWriteType(rawValue: "CAS")
    public static let view = CQLWriteType(rawValue: "VIEW")
    public static let cdc = CQLWriteType(rawValue: "CDC")

    public var description: String { rawValue }
}

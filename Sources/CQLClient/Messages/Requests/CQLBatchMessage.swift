import NIOCore

/// BATCH: several modification statements applied together.
public struct CQLBatchMessage: CQLRequestMessage, Hashable {
    /// The batch type byte.
    public enum Kind: UInt8, Sendable, Hashable {
        case logged = 0
        case unlogged = 1
        case counter = 2
    }

    /// One statement of the batch: text (kind 0) or a prepared id (kind 1), with its values.
    public enum Statement: Sendable, Hashable {
        case query(String, values: [CQLValue])
        case prepared(id: [UInt8], values: [CQLValue])
    }

    public var kind: Kind
    public var statements: [Statement]
    public var consistency: CQLConsistency
    public var serialConsistency: CQLConsistency?
    /// Default write timestamp, in microseconds since the Unix epoch.
    public var defaultTimestamp: Int64?

    public init(
        kind: Kind,
        statements: [Statement],
        consistency: CQLConsistency,
        serialConsistency: CQLConsistency? = nil,
        defaultTimestamp: Int64? = nil
    ) {
        self.kind = kind
        self.statements = statements
        self.consistency = consistency
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    public var opcode: CQLOpcode { .batch }

    public func encodeBody(into buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        guard statements.count <= UInt16.max else {
            throw CQLClientError.encodingFailed("\(statements.count) statements exceed the [short] count")
        }
        buffer.writeInteger(kind.rawValue)
        buffer.writeInteger(UInt16(statements.count))
        for statement in statements {
            let values: [CQLValue]
            switch statement {
            case .query(let query, let statementValues):
                buffer.writeInteger(UInt8(0))
                buffer.writeCQLLongString(query)
                values = statementValues
            case .prepared(let id, let statementValues):
                buffer.writeInteger(UInt8(1))
                try buffer.writeCQLShortBytes(id)
                values = statementValues
            }
            guard values.count <= UInt16.max else {
                throw CQLClientError.encodingFailed("\(values.count) bind values exceed the [short] count")
            }
            buffer.writeInteger(UInt16(values.count))
            for value in values {
                try value.write(to: &buffer)
            }
        }
        var flags: UInt32 = 0
        if serialConsistency != nil { flags |= CQLQueryParameters.Flag.serialConsistency }
        if defaultTimestamp != nil { flags |= CQLQueryParameters.Flag.defaultTimestamp }
        buffer.writeCQLConsistency(consistency)
        buffer.writeCQLQueryFlags(flags, version: version)
        if let serialConsistency { buffer.writeCQLConsistency(serialConsistency) }
        if let defaultTimestamp { buffer.writeInteger(defaultTimestamp) }
    }
}

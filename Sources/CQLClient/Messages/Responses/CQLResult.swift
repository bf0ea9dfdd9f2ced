import NIOCore

/// The body of a RESULT message.
public enum CQLResult: Sendable {
    /// The statement succeeded and returns nothing.
    case void
    /// A page of rows.
    case rows(CQLRows)
    /// A `USE` statement switched the connection's keyspace.
    case setKeyspace(String)
    /// A PREPARE succeeded.
    case prepared(CQLPreparedResult)
    /// A DDL statement changed the schema.
    case schemaChange(CQLSchemaChange)

    /// The rows, or nil when this is not a Rows result.
    public var rows: CQLRows? {
        guard case .rows(let rows) = self else { return nil }
        return rows
    }

    static func decode(from body: inout ByteBuffer, version: CQLProtocolVersion) throws -> CQLResult {
        let kind = try body.readCQLInt("result kind")
        switch kind {
        case 0x0001: return .void
        case 0x0002: return .rows(try CQLRows.decode(from: &body))
        case 0x0003: return .setKeyspace(try body.readCQLString("keyspace"))
        case 0x0004: return .prepared(try CQLPreparedResult.decode(from: &body, version: version))
        case 0x0005: return .schemaChange(try CQLSchemaChange.decode(from: &body))
        default: throw CQLClientError.malformedMessage("unknown result kind \(kind)")
        }
    }
}

import NIOCore

/// A column or bind-marker type, as described by an [option] in result metadata.
public indirect enum CQLDataType: Sendable, Hashable, CustomStringConvertible {
    /// A server-side type outside the native set, named by its Java class.
    case custom(String)
    case ascii
    case bigint
    case blob
    case boolean
    case counter
    case decimal
    case double
    case float
    case int
    case timestamp
    case uuid
    /// Also known as `text`.
    case varchar
    case varint
    case timeuuid
    case inet
    case date
    case time
    case smallint
    case tinyint
    /// v5 only.
    case duration
    case list(CQLDataType)
    case map(key: CQLDataType, value: CQLDataType)
    case set(CQLDataType)
    case udt(keyspace: String, name: String, fields: [CQLUDTField])
    case tuple([CQLDataType])

    public var description: String {
        switch self {
        case .custom(let className): "'\(className)'"
        case .ascii: "ascii"
        case .bigint: "bigint"
        case .blob: "blob"
        case .boolean: "boolean"
        case .counter: "counter"
        case .decimal: "decimal"
        case .double: "double"
        case .float: "float"
        case .int: "int"
        case .timestamp: "timestamp"
        case .uuid: "uuid"
        case .varchar: "text"
        case .varint: "varint"
        case .timeuuid: "timeuuid"
        case .inet: "inet"
        case .date: "date"
        case .time: "time"
        case .smallint: "smallint"
        case .tinyint: "tinyint"
        case .duration: "duration"
        case .list(let element): "list<\(element)>"
        case .map(let key, let value): "map<\(key), \(value)>"
        case .set(let element): "set<\(element)>"
        case .udt(let keyspace, let name, _): "\(keyspace).\(name)"
        case .tuple(let elements): "tuple<\(elements.map(\.description).joined(separator: ", "))>"
        }
    }

    /// Reads an [option]: a [short] id, then for some ids a further description.
    static func decode(from buffer: inout ByteBuffer) throws -> CQLDataType {
        let id = try buffer.readCQLShort("type id")
        switch id {
        case 0x0000: return .custom(try buffer.readCQLString("custom type class"))
        case 0x0001: return .ascii
        case 0x0002: return .bigint
        case 0x0003: return .blob
        case 0x0004: return .boolean
        case 0x0005: return .counter
        case 0x0006: return .decimal
        case 0x0007: return .double
        case 0x0008: return .float
        case 0x0009: return .int
        case 0x000B: return .timestamp
        case 0x000C: return .uuid
        case 0x000D: return .varchar
        case 0x000E: return .varint
        case 0x000F: return .timeuuid
        case 0x0010: return .inet
        case 0x0011: return .date
        case 0x0012: return .time
        case 0x0013: return .smallint
        case 0x0014: return .tinyint
        case 0x0015: return .duration
        case 0x0020: return .list(try decode(from: &buffer))
        case 0x0021: return .map(key: try decode(from: &buffer), value: try decode(from: &buffer))
        case 0x0022: return .set(try decode(from: &buffer))
        case 0x0030:
            let keyspace = try buffer.readCQLString("UDT keyspace")
            let name = try buffer.readCQLString("UDT name")
            let count = try buffer.readCQLShort("UDT field count")
            var fields: [CQLUDTField] = []
            for _ in 0..<count {
                let fieldName = try buffer.readCQLString("UDT field name")
                fields.append(CQLUDTField(name: fieldName, type: try decode(from: &buffer)))
            }
            return .udt(keyspace: keyspace, name: name, fields: fields)
        case 0x0031:
            let count = try buffer.readCQLShort("tuple size")
            var elements: [CQLDataType] = []
            for _ in 0..<count {
                elements.append(try decode(from: &buffer))
            }
            return .tuple(elements)
        default:
            throw CQLClientError.malformedMessage("unknown type id 0x\(String(id, radix: 16))")
        }
    }
}

/// One named field of a user-defined type.
public struct CQLUDTField: Sendable, Hashable {
    public var name: String
    public var type: CQLDataType

    public init(name: String, type: CQLDataType) {
        self.name = name
        self.type = type
    }
}

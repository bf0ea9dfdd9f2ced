import NIOCore

extension CQLValue {
    /// Decodes the bytes of one cell (or collection element) of the given type.
    ///
    /// `nil` bytes are `null`. So is an empty cell of a type that has no empty
    /// form (the specification keeps such "empty" values for legacy reasons only).
    package static func decode(_ bytes: ByteBuffer?, as type: CQLDataType) throws -> CQLValue {
        guard var bytes else { return .null }
        switch type {
        case .ascii:
            return .ascii(bytes.readString(length: bytes.readableBytes)!)
        case .varchar:
            return .text(bytes.readString(length: bytes.readableBytes)!)
        case .blob:
            return .blob(Array(bytes.readableBytesView))
        default:
            break
        }
        if bytes.readableBytes == 0 {
            return .null
        }
        switch type {
        case .bigint: return .bigint(try bytes.readExactly(Int64.self, type))
        case .counter: return .counter(try bytes.readExactly(Int64.self, type))
        case .timestamp: return .timestamp(try bytes.readExactly(Int64.self, type))
        case .time: return .time(try bytes.readExactly(Int64.self, type))
        case .int: return .int(try bytes.readExactly(Int32.self, type))
        case .smallint: return .smallint(try bytes.readExactly(Int16.self, type))
        case .tinyint: return .tinyint(try bytes.readExactly(Int8.self, type))
        case .date: return .date(try bytes.readExactly(UInt32.self, type))
        case .boolean: return .boolean(try bytes.readExactly(UInt8.self, type) != 0)
        case .double: return .double(Double(bitPattern: try bytes.readExactly(UInt64.self, type)))
        case .float: return .float(Float(bitPattern: try bytes.readExactly(UInt32.self, type)))
        case .uuid, .timeuuid:
            guard bytes.readableBytes == 16 else {
                throw CQLClientError.malformedMessage("\(type) value of \(bytes.readableBytes) bytes")
            }
            let uuid = try bytes.readCQLUUID("\(type)")
            return type == .uuid ? .uuid(uuid) : .timeuuid(uuid)
        case .list(let elementType):
            return .list(try decodeElements(of: &bytes, as: elementType))
        case .set(let elementType):
            return .set(try decodeElements(of: &bytes, as: elementType))
        case .map(let keyType, let valueType):
            let count = try bytes.readCQLInt("map size")
            var entries: [CQLMapEntry] = []
            for _ in 0..<max(count, 0) {
                let key = try decode(try bytes.readCQLBytes("map key"), as: keyType)
                let value = try decode(try bytes.readCQLBytes("map value"), as: valueType)
                entries.append(CQLMapEntry(key: key, value: value))
            }
            return .map(entries)
        default:
            return .raw(type: type, bytes: Array(bytes.readableBytesView))
        }
    }

    private static func decodeElements(of bytes: inout ByteBuffer, as elementType: CQLDataType) throws -> [CQLValue] {
        let count = try bytes.readCQLInt("collection size")
        var elements: [CQLValue] = []
        elements.reserveCapacity(Int(max(count, 0)))
        for _ in 0..<max(count, 0) {
            elements.append(try decode(try bytes.readCQLBytes("collection element"), as: elementType))
        }
        return elements
    }
}

extension ByteBuffer {
    /// Reads a fixed-size integer that must fill the whole cell.
    fileprivate mutating func readExactly<T: FixedWidthInteger>(_: T.Type, _ type: CQLDataType) throws -> T {
        guard readableBytes == MemoryLayout<T>.size, let value = readInteger(as: T.self) else {
            throw CQLClientError.malformedMessage(
                "\(type) value of \(readableBytes) bytes, expected \(MemoryLayout<T>.size)"
            )
        }
        return value
    }
}

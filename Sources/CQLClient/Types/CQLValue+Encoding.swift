import NIOCore

extension CQLValue {
    /// Writes the value as a [value]: an [int] length (-1 for null, -2 for unset) and the serialized bytes.
    package func write(to buffer: inout ByteBuffer) throws {
        switch self {
        case .null:
            buffer.writeInteger(Int32(-1))
        case .unset:
            buffer.writeInteger(Int32(-2))
        default:
            let lengthIndex = buffer.writerIndex
            buffer.writeInteger(Int32(0))
            let bodyStart = buffer.writerIndex
            try writeSerializedBytes(to: &buffer)
            let length = buffer.writerIndex - bodyStart
            guard length <= Int32.max else {
                throw CQLClientError.encodingFailed("value of \(length) bytes is too large")
            }
            buffer.setInteger(Int32(length), at: lengthIndex)
        }
    }

    /// Writes the bytes of section 6 of the specification, without a length prefix.
    private func writeSerializedBytes(to buffer: inout ByteBuffer) throws {
        switch self {
        case .null, .unset:
            throw CQLClientError.encodingFailed("null or unset inside a collection")
        case .ascii(let string):
            guard string.utf8.allSatisfy({ $0 < 0x80 }) else {
                throw CQLClientError.encodingFailed("ascii value contains non-ASCII characters")
            }
            buffer.writeString(string)
        case .text(let string):
            buffer.writeString(string)
        case .bigint(let value), .counter(let value), .timestamp(let value), .time(let value):
            buffer.writeInteger(value)
        case .blob(let bytes):
            buffer.writeBytes(bytes)
        case .boolean(let value):
            buffer.writeInteger(UInt8(value ? 1 : 0))
        case .double(let value):
            buffer.writeInteger(value.bitPattern)
        case .float(let value):
            buffer.writeInteger(value.bitPattern)
        case .int(let value):
            buffer.writeInteger(value)
        case .smallint(let value):
            buffer.writeInteger(value)
        case .tinyint(let value):
            buffer.writeInteger(value)
        case .date(let days):
            buffer.writeInteger(days)
        case .uuid(let uuid), .timeuuid(let uuid):
            buffer.writeCQLUUID(uuid)
        case .list(let elements), .set(let elements):
            buffer.writeInteger(Int32(elements.count))
            for element in elements {
                try element.write(to: &buffer)
            }
        case .map(let entries):
            buffer.writeInteger(Int32(entries.count))
            for entry in entries {
                try entry.key.write(to: &buffer)
                try entry.value.write(to: &buffer)
            }
        case .raw(_, let bytes):
            buffer.writeBytes(bytes)
        }
    }
}

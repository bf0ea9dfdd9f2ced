import CQLClient
import NIOCore

/// The stand-in's side of the v4 message bodies: it reads requests and writes results, the
/// mirror image of what the client does, from the same specification.
package enum StandInWire {
    /// A bound value as sent: bytes, null, or unset.
    package enum RawValue {
        case bytes(ByteBuffer)
        case null
        case unset
    }

    /// The <query_parameters> of QUERY and EXECUTE (v4 layout).
    package struct Parameters {
        var consistency: CQLConsistency
        var values: [RawValue] = []
        var pageSize: Int32?
        var pagingState: [UInt8]?
    }

    package static func readParameters(from body: inout ByteBuffer) throws -> Parameters {
        var parameters = Parameters(consistency: try body.readCQLConsistency("consistency"))
        let flags = try body.readCQLByte("flags")
        guard flags & 0x40 == 0 else { throw StandInError.invalid("named values are not supported") }
        if flags & 0x01 != 0 {
            parameters.values = try readValues(from: &body)
        }
        if flags & 0x04 != 0 { parameters.pageSize = try body.readCQLInt("page size") }
        if flags & 0x08 != 0 { parameters.pagingState = try body.readCQLBytesArray("paging state") }
        if flags & 0x10 != 0 { _ = try body.readCQLConsistency("serial consistency") }
        if flags & 0x20 != 0 { _ = try body.readCQLLong("timestamp") }
        return parameters
    }

    /// A [short] count, then that many [value].
    package static func readValues(from body: inout ByteBuffer) throws -> [RawValue] {
        let count = try body.readCQLShort("value count")
        return try (0..<count).map { _ in
            let length = try body.readCQLInt("value length")
            switch length {
            case -1: return .null
            case -2: return .unset
            case ..<(-2): throw StandInError.invalid("negative value length \(length)")
            default:
                guard let slice = body.readSlice(length: Int(length)) else { throw StandInError.invalid("value ends early") }
                return .bytes(slice)
            }
        }
    }

    /// Values decoded with their markers' types; unset becomes nil.
    package static func decode(_ values: [RawValue], as markers: [CQLColumn]) throws -> [CQLValue?] {
        guard values.count == markers.count else {
            throw StandInError.invalid("There were \(markers.count) markers(?) in CQL but \(values.count) bound variables")
        }
        return try zip(values, markers).map { value, marker in
            switch value {
            case .unset: return nil
            case .null: return .null
            case .bytes(let bytes): return try CQLValue.decode(bytes, as: marker.type)
            }
        }
    }

    // MARK: Results

    package static func write(_ result: StandInResult, to body: inout ByteBuffer) throws {
        switch result {
        case .void:
            body.writeInteger(Int32(0x0001))
        case .rows(let columns, let rows, let pagingState):
            body.writeInteger(Int32(0x0002))
            try writeMetadata(columns, pagingState: pagingState, to: &body)
            body.writeInteger(Int32(rows.count))
            for row in rows {
                for value in row { try value.write(to: &body) }
            }
        case .schemaChange(let change, let target, let keyspace, let name):
            body.writeInteger(Int32(0x0005))
            try body.writeCQLString(change)
            try body.writeCQLString(target)
            try body.writeCQLString(keyspace)
            if let name { try body.writeCQLString(name) }
        }
    }

    package static func writePrepared(_ prepared: StandInPrepared, to body: inout ByteBuffer) throws {
        body.writeInteger(Int32(0x0004))
        try body.writeCQLShortBytes(prepared.id)
        body.writeInteger(Int32(0))
        body.writeInteger(Int32(prepared.markers.count))
        body.writeInteger(Int32(prepared.partitionKeyIndexes.count))
        for index in prepared.partitionKeyIndexes { body.writeInteger(index) }
        for marker in prepared.markers { try writeColumnSpec(marker, to: &body) }
        if prepared.resultColumns.isEmpty {
            body.writeInteger(Int32(0x0004))
            body.writeInteger(Int32(0))
        } else {
            try writeMetadata(prepared.resultColumns, pagingState: nil, to: &body)
        }
    }

    /// Rows metadata with one table spec per column (no global table spec).
    private static func writeMetadata(_ columns: [CQLColumn], pagingState: [UInt8]?, to body: inout ByteBuffer) throws {
        body.writeInteger(Int32(pagingState == nil ? 0 : 0x0002))
        body.writeInteger(Int32(columns.count))
        if let pagingState { body.writeCQLBytes(pagingState) }
        for column in columns { try writeColumnSpec(column, to: &body) }
    }

    private static func writeColumnSpec(_ column: CQLColumn, to body: inout ByteBuffer) throws {
        try body.writeCQLString(column.keyspace)
        try body.writeCQLString(column.table)
        try body.writeCQLString(column.name)
        try writeType(column.type, to: &body)
    }

    private static func writeType(_ type: CQLDataType, to body: inout ByteBuffer) throws {
        switch type {
        case .bigint: body.writeInteger(UInt16(0x0002))
        case .boolean: body.writeInteger(UInt16(0x0004))
        case .int: body.writeInteger(UInt16(0x0009))
        case .timestamp: body.writeInteger(UInt16(0x000B))
        case .uuid: body.writeInteger(UInt16(0x000C))
        case .varchar: body.writeInteger(UInt16(0x000D))
        case .timeuuid: body.writeInteger(UInt16(0x000F))
        case .date: body.writeInteger(UInt16(0x0011))
        case .map(let key, let value):
            body.writeInteger(UInt16(0x0021))
            try writeType(key, to: &body)
            try writeType(value, to: &body)
        default: throw StandInError.invalid("the stand-in does not describe \(type)")
        }
    }

    /// An ERROR body: [int] code, [string] message, then what the code adds.
    package static func errorBody(_ error: any Error) -> ByteBuffer {
        var body = ByteBuffer()
        let message: String
        switch error as? StandInError {
        case .syntax(let text):
            body.writeInteger(Int32(0x2000))
            message = text
        case .invalid(let text):
            body.writeInteger(Int32(0x2200))
            message = text
        case .unprepared(let id):
            body.writeInteger(Int32(0x2500))
            try? body.writeCQLString("Prepared query with ID \(id) not found")
            try? body.writeCQLShortBytes(id)
            return body
        case nil:
            body.writeInteger(Int32(0x0000))
            message = "\(error)"
        }
        try? body.writeCQLString(String(message.prefix(60_000)))
        return body
    }
}

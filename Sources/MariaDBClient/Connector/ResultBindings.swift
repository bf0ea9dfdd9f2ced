#if MySQL
import CMariaDB

/// The `MYSQL_BIND` array and buffers that `mysql_stmt_fetch` writes each row into, and the
/// decoding of those buffers into ``MariaDBValue``s.
///
/// Variable-length columns start with a buffer of at most ``initialCapacity`` bytes; a longer
/// value is fetched in full with `mysql_stmt_fetch_column` once its real length is known.
final class ResultBindings {
    static let initialCapacity = 1024

    let columns: [MariaDBColumn]
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let isNull: UnsafeMutablePointer<CChar>
    private let lengths: UnsafeMutablePointer<UInt>
    private let isUnsigned: [Bool]
    private var buffers: [UnsafeMutableRawPointer] = []

    init(fields: UnsafeMutablePointer<MYSQL_FIELD>, count: Int) {
        let fieldList = UnsafeBufferPointer(start: fields, count: count)
        columns = fieldList.map(MariaDBColumn.init(field:))
        isUnsigned = fieldList.map { $0.flags & UInt32(UNSIGNED_FLAG) != 0 }
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        isNull = .allocate(capacity: max(count, 1))
        isNull.initialize(repeating: 0, count: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        lengths.initialize(repeating: 0, count: max(count, 1))
        for (index, field) in fieldList.enumerated() {
            prepareBind(at: index, for: field)
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        binds.deinitialize(count: max(columns.count, 1))
        binds.deallocate()
        isNull.deallocate()
        lengths.deallocate()
    }

    /// Decodes the row most recently fetched into the buffers.
    func currentRow(of statement: UnsafeMutablePointer<MYSQL_STMT>) throws(MariaDBError) -> MariaDBRow {
        var values: [MariaDBValue] = []
        values.reserveCapacity(columns.count)
        for index in columns.indices {
            values.append(try value(at: index, of: statement))
        }
        return MariaDBRow(columns: columns, values: values)
    }

    private func prepareBind(at index: Int, for field: MYSQL_FIELD) {
        binds[index].is_null = isNull + index
        binds[index].length = lengths + index
        switch columns[index].type {
        case .integer:
            attachBuffer(at: index, type: MYSQL_TYPE_LONGLONG, byteCount: MemoryLayout<Int64>.size)
            binds[index].is_unsigned = isUnsigned[index] ? 1 : 0
        case .floatingPoint:
            attachBuffer(at: index, type: MYSQL_TYPE_DOUBLE, byteCount: MemoryLayout<Double>.size)
        case .date, .datetime, .time:
            attachBuffer(at: index, type: field.type, byteCount: MemoryLayout<MYSQL_TIME>.size)
        case .decimal, .text:
            attachBuffer(at: index, type: MYSQL_TYPE_STRING, byteCount: Self.capacity(for: field))
        case .binary:
            attachBuffer(at: index, type: MYSQL_TYPE_BLOB, byteCount: Self.capacity(for: field))
        case .null:
            binds[index].buffer_type = MYSQL_TYPE_NULL
        }
    }

    private static func capacity(for field: MYSQL_FIELD) -> Int {
        min(max(Int(field.length), 1), initialCapacity)
    }

    private func attachBuffer(at index: Int, type: enum_field_types, byteCount: Int) {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        buffers.append(buffer)
        binds[index].buffer_type = type
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(byteCount)
    }

    private func value(
        at index: Int, of statement: UnsafeMutablePointer<MYSQL_STMT>
    ) throws(MariaDBError)
        -> MariaDBValue
    {
        guard isNull[index] == 0 else { return .null }
        let buffer = binds[index].buffer!
        switch columns[index].type {
        case .integer:
            guard isUnsigned[index] else { return .int64(buffer.load(as: Int64.self)) }
            let unsigned = buffer.load(as: UInt64.self)
            return unsigned <= UInt64(Int64.max) ? .int64(Int64(unsigned)) : .string(String(unsigned))
        case .floatingPoint:
            return .double(buffer.load(as: Double.self))
        case .decimal, .text:
            return .string(String(decoding: try bytes(at: index, of: statement), as: UTF8.self))
        case .binary:
            return .bytes(try bytes(at: index, of: statement))
        case .date:
            let time = buffer.load(as: MYSQL_TIME.self)
            return time.isZeroDate ? .null : .date(time.date)
        case .datetime:
            let time = buffer.load(as: MYSQL_TIME.self)
            return time.isZeroDate ? .null : .datetime(secondsSince1970: time.secondsSince1970)
        case .time:
            return .string(buffer.load(as: MYSQL_TIME.self).timeText)
        case .null:
            return .null
        }
    }

    /// The full value of a variable-length column, fetched again if it did not fit the buffer.
    private func bytes(at index: Int, of statement: UnsafeMutablePointer<MYSQL_STMT>) throws(MariaDBError) -> [UInt8] {
        let length = Int(lengths[index])
        guard length > Int(binds[index].buffer_length) else {
            return Array(UnsafeRawBufferPointer(start: binds[index].buffer, count: length))
        }
        var whole = [UInt8](repeating: 0, count: length)
        var fetchedLength: UInt = 0
        let failed = whole.withUnsafeMutableBytes { destination in
            withUnsafeMutablePointer(to: &fetchedLength) { fetchedLengthPointer in
                var bind = MYSQL_BIND()
                bind.buffer_type = binds[index].buffer_type
                bind.buffer = destination.baseAddress
                bind.buffer_length = UInt(length)
                bind.length = fetchedLengthPointer
                return mysql_stmt_fetch_column(statement, &bind, UInt32(index), 0) != 0
            }
        }
        if failed {
            throw MariaDBError(statement: statement)
        }
        return whole
    }
}
#endif

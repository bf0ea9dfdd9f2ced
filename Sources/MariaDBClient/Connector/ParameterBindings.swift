#if MySQL
import CMariaDB

/// The `MYSQL_BIND` array and the buffers it points to for a statement's `?` parameters.
///
/// Connector/C keeps pointers into these buffers after `mysql_stmt_bind_param`, so the instance
/// must stay alive until `mysql_stmt_execute` has returned; `deinit` frees everything.
final class ParameterBindings {
    let binds: UnsafeMutablePointer<MYSQL_BIND>
    private let count: Int
    private let lengths: UnsafeMutablePointer<UInt>
    private var buffers: [UnsafeMutableRawPointer] = []

    init(_ values: [MariaDBValue]) {
        count = values.count
        binds = .allocate(capacity: max(count, 1))
        binds.initialize(repeating: MYSQL_BIND(), count: max(count, 1))
        lengths = .allocate(capacity: max(count, 1))
        lengths.initialize(repeating: 0, count: max(count, 1))
        for (index, value) in values.enumerated() {
            bind(value, at: index)
        }
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        binds.deinitialize(count: max(count, 1))
        binds.deallocate()
        lengths.deallocate()
    }

    private func bind(_ value: MariaDBValue, at index: Int) {
        switch value {
        case .null:
            binds[index].buffer_type = MYSQL_TYPE_NULL
        case .int64(let number):
            store(number, at: index, as: MYSQL_TYPE_LONGLONG)
        case .double(let number):
            store(number, at: index, as: MYSQL_TYPE_DOUBLE)
        case .string(let text):
            store(bytes: Array(text.utf8), at: index, as: MYSQL_TYPE_STRING)
        case .bytes(let bytes):
            store(bytes: bytes, at: index, as: MYSQL_TYPE_BLOB)
        case .date(let date):
            store(MYSQL_TIME(date), at: index, as: MYSQL_TYPE_DATE)
        case .datetime(let seconds):
            store(MYSQL_TIME(secondsSince1970: seconds), at: index, as: MYSQL_TYPE_DATETIME)
        }
    }

    private func store<Value>(_ value: Value, at index: Int, as type: enum_field_types) {
        let buffer = allocate(byteCount: MemoryLayout<Value>.size, alignment: MemoryLayout<Value>.alignment)
        buffer.initializeMemory(as: Value.self, to: value)
        binds[index].buffer_type = type
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(MemoryLayout<Value>.size)
    }

    private func store(bytes: [UInt8], at index: Int, as type: enum_field_types) {
        // At least one byte, so an empty string still has a non-NULL buffer.
        let buffer = allocate(byteCount: max(bytes.count, 1), alignment: 1)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.copyMemory(from: base, byteCount: source.count) }
        }
        lengths[index] = UInt(bytes.count)
        binds[index].buffer_type = type
        binds[index].buffer = buffer
        binds[index].buffer_length = UInt(bytes.count)
        binds[index].length = lengths + index
    }

    private func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: alignment)
        buffers.append(buffer)
        return buffer
    }
}
#endif

import NIOCore

/// The <query_parameters> shared by QUERY and EXECUTE.
public struct CQLQueryParameters: Sendable, Hashable {
    public var consistency: CQLConsistency
    /// Positional bind values.
    public var values: [CQLValue]
    /// Rows per page; nil lets the server return everything at once.
    public var pageSize: Int32?
    public var pagingState: CQLPagingState?
    /// Consistency of the Paxos phase of conditional updates.
    public var serialConsistency: CQLConsistency?
    /// Default write timestamp, in microseconds since the Unix epoch.
    public var defaultTimestamp: Int64?

    public init(
        consistency: CQLConsistency,
        values: [CQLValue] = [],
        pageSize: Int32? = nil,
        pagingState: CQLPagingState? = nil,
        serialConsistency: CQLConsistency? = nil,
        defaultTimestamp: Int64? = nil
    ) {
        self.consistency = consistency
        self.values = values
        self.pageSize = pageSize
        self.pagingState = pagingState
        self.serialConsistency = serialConsistency
        self.defaultTimestamp = defaultTimestamp
    }

    /// Flag bits, as laid out in the QUERY section of the specification.
    enum Flag {
        static let values: UInt32 = 0x01
        static let pageSize: UInt32 = 0x04
        static let pagingState: UInt32 = 0x08
        static let serialConsistency: UInt32 = 0x10
        static let defaultTimestamp: UInt32 = 0x20
    }

    func write(to buffer: inout ByteBuffer, version: CQLProtocolVersion) throws {
        var flags: UInt32 = 0
        if !values.isEmpty { flags |= Flag.values }
        if pageSize != nil { flags |= Flag.pageSize }
        if pagingState != nil { flags |= Flag.pagingState }
        if serialConsistency != nil { flags |= Flag.serialConsistency }
        if defaultTimestamp != nil { flags |= Flag.defaultTimestamp }

        buffer.writeCQLConsistency(consistency)
        buffer.writeCQLQueryFlags(flags, version: version)
        if !values.isEmpty {
            guard values.count <= UInt16.max else {
                throw CQLClientError.encodingFailed("\(values.count) bind values exceed the [short] count")
            }
            buffer.writeInteger(UInt16(values.count))
            for value in values {
                try value.write(to: &buffer)
            }
        }
        if let pageSize { buffer.writeInteger(pageSize) }
        if let pagingState { buffer.writeCQLBytes(pagingState.bytes) }
        if let serialConsistency { buffer.writeCQLConsistency(serialConsistency) }
        if let defaultTimestamp { buffer.writeInteger(defaultTimestamp) }
    }
}

extension ByteBuffer {
    /// QUERY, EXECUTE and BATCH flags are a [byte] up to v4 and an [int] from v5.
    mutating func writeCQLQueryFlags(_ flags: UInt32, version: CQLProtocolVersion) {
        if version.hasIntegerQueryFlags {
            writeInteger(flags)
        } else {
            writeInteger(UInt8(truncatingIfNeeded: flags))
        }
    }
}

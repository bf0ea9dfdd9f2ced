import CQLClient
import Foundation

/// The column types the stand-in stores.
package indirect enum StandInType: Sendable, Hashable {
    case bigint, boolean, date, int, text, timestamp, timeuuid, uuid
    case map(StandInType, StandInType)

    package init?(name: String) {
        switch name {
        case "bigint": self = .bigint
        case "boolean": self = .boolean
        case "date": self = .date
        case "int": self = .int
        case "text", "varchar": self = .text
        case "timestamp": self = .timestamp
        case "timeuuid": self = .timeuuid
        case "uuid": self = .uuid
        default: return nil
        }
    }

    package var dataType: CQLDataType {
        switch self {
        case .bigint: .bigint
        case .boolean: .boolean
        case .date: .date
        case .int: .int
        case .text: .varchar
        case .timestamp: .timestamp
        case .timeuuid: .timeuuid
        case .uuid: .uuid
        case .map(let key, let value): .map(key: key.dataType, value: value.dataType)
        }
    }

    /// Whether a value read off the wire fits this column.
    package func accepts(_ value: CQLValue) -> Bool {
        switch (self, value) {
        case (_, .null), (.bigint, .bigint), (.boolean, .boolean), (.date, .date), (.int, .int), (.text, .text),
            (.timestamp, .timestamp), (.timeuuid, .timeuuid), (.uuid, .uuid), (.map, .map):
            true
        default:
            false
        }
    }
}

/// A table's definition, as `CREATE TABLE` gave it.
package struct StandInTableSchema: Sendable {
    package var keyspace: String
    package var name: String
    package var columns: [(name: String, type: StandInType)]
    package var partitionKey: [String]
    /// Clustering columns, each with whether it is in descending order.
    package var clustering: [(name: String, descending: Bool)]

    package var qualifiedName: String { keyspace + "." + name }

    package func type(of column: String) -> StandInType? {
        columns.first { $0.name == column }?.type
    }

    /// Adds a column, refused as a node refuses it when the name is taken.
    package mutating func add(column name: String, type: StandInType) throws {
        guard self.type(of: name) == nil else { throw StandInError.invalid("Column with name '\(name)' already exists") }
        columns.append((name, type))
    }

    package func validate() throws {
        guard !partitionKey.isEmpty else { throw StandInError.invalid("table \(qualifiedName) has no primary key") }
        for key in partitionKey + clustering.map(\.name) where type(of: key) == nil {
            throw StandInError.invalid("unknown key column \(key) in \(qualifiedName)")
        }
        guard clustering.count <= 1 else { throw StandInError.invalid("the stand-in supports one clustering column") }
    }
}

/// The rows of one table: partitions by key, rows sorted by the clustering column the way
/// Cassandra sorts it.
package struct StandInTable: Sendable {
    /// Its definition; `ALTER TABLE … ADD` changes it, leaving the new column empty in every row.
    package var schema: StandInTableSchema
    private(set) var partitions: [[CQLValue]: [[String: CQLValue]]] = [:]

    package init(schema: StandInTableSchema) {
        self.schema = schema
    }

    package var rowCount: Int { partitions.values.reduce(0) { $0 + $1.count } }

    /// Where a row written with a TTL keeps its expiry (epoch milliseconds, wall clock). The
    /// stand-in gives the whole row the TTL of its last write, which is what Cassandra's per-cell
    /// TTLs amount to for a table whose every write sets every column with the same TTL.
    package static let expiryColumn = "[expires]"

    package static func isLive(_ row: [String: CQLValue]) -> Bool {
        guard case .timestamp(let expiry)? = row[expiryColumn] else { return true }
        return Int64(Date().timeIntervalSince1970 * 1000) < expiry
    }

    /// Inserts or overwrites one row; `nil` leaves a column as it was (an unset value), `.null`
    /// removes it. Returns the (live) row that existed before, when there was one; with
    /// `onlyIfAbsent` an existing row is left alone. An expired row counts as absent.
    @discardableResult
    package mutating func upsert(_ values: [String: CQLValue?], onlyIfAbsent: Bool = false, ttl: Int32? = nil) -> [String: CQLValue]? {
        let key = schema.partitionKey.map { values[$0].flatMap { $0 } ?? .null }
        var rows = partitions[key] ?? []
        var index = rows.startIndex
        var exists = !rows.isEmpty
        if let clustering = schema.clustering.first {
            let value = values[clustering.name].flatMap { $0 } ?? .null
            // Binary search for the first row not ordered before `value`.
            var (low, high) = (0, rows.count)
            while low < high {
                let middle = (low + high) / 2
                if order(rows[middle][clustering.name] ?? .null, value, descending: clustering.descending) {
                    low = middle + 1
                } else {
                    high = middle
                }
            }
            index = low
            exists = index < rows.count && rows[index][clustering.name] == value
        }
        let previous = exists && Self.isLive(rows[index]) ? rows[index] : nil
        if previous != nil, onlyIfAbsent { return previous }
        var row = previous ?? [:]
        row[Self.expiryColumn] = ttl.flatMap { $0 > 0 ? .timestamp(Int64(Date().timeIntervalSince1970 * 1000) + Int64($0) * 1000) : nil }
        for (column, value) in values {
            switch value {
            case .none: continue
            case .some(.null): row[column] = nil
            case .some(let value): row[column] = value
            }
        }
        if exists { rows[index] = row } else { rows.insert(row, at: index) }
        partitions[key] = rows
        return previous
    }

    private func order(_ lhs: CQLValue, _ rhs: CQLValue, descending: Bool) -> Bool {
        descending ? Self.precedes(rhs, lhs) : Self.precedes(lhs, rhs)
    }

    /// Rows matching every restriction, in clustering order. A partition key restricted with `=`
    /// picks one partition; without one every row is scanned (system tables only).
    package func select(_ restrictions: [(column: String, op: StandInStatement.Restriction.Operator, value: CQLValue)]) throws -> [[String: CQLValue]] {
        let restricted = Set(restrictions.map(\.column))
        let candidates: [[String: CQLValue]]
        if schema.partitionKey.allSatisfy(restricted.contains) {
            let key = try schema.partitionKey.map { column in
                guard let restriction = restrictions.first(where: { $0.column == column }), restriction.op == .equal else {
                    throw StandInError.invalid("partition key column \(column) must be restricted with =")
                }
                return restriction.value
            }
            candidates = partitions[key] ?? []
        } else if restrictions.isEmpty || schema.keyspace.hasPrefix("system") {
            candidates = partitions.keys.sorted { "\($0)" < "\($1)" }.flatMap { partitions[$0]! }
        } else {
            throw StandInError.invalid("Cannot execute this query as it might involve data filtering (\(schema.qualifiedName))")
        }
        let clustering = schema.clustering.first?.name
        for restriction in restrictions where !schema.partitionKey.contains(restriction.column) {
            guard restriction.column == clustering || schema.keyspace.hasPrefix("system") else {
                throw StandInError.invalid("only the clustering column may be restricted by a range; \(restriction.column) is not it")
            }
        }
        return candidates.filter { row in
            Self.isLive(row)
                && restrictions.allSatisfy { restriction in
                    if schema.partitionKey.contains(restriction.column) { return true }
                    let value = row[restriction.column] ?? .null
                    switch restriction.op {
                    case .equal: return value == restriction.value
                    case .greater: return Self.precedes(restriction.value, value)
                    case .greaterOrEqual: return !Self.precedes(value, restriction.value)
                    case .less: return Self.precedes(value, restriction.value)
                    case .lessOrEqual: return !Self.precedes(restriction.value, value)
                    }
                }
        }
    }

    /// Cassandra's order for the clustering types: numbers by value; `timeuuid` by its 60-bit
    /// timestamp, then by its last eight bytes as signed bytes (flipping each byte's top bit turns
    /// that into an unsigned comparison).
    package static func precedes(_ lhs: CQLValue, _ rhs: CQLValue) -> Bool {
        switch (lhs, rhs) {
        case (.bigint(let a), .bigint(let b)), (.timestamp(let a), .timestamp(let b)): return a < b
        case (.date(let a), .date(let b)): return a < b
        case (.text(let a), .text(let b)): return a < b
        case (.timeuuid(let a), .timeuuid(let b)):
            let (timeA, timeB) = (timestamp(of: a), timestamp(of: b))
            if timeA != timeB { return timeA < timeB }
            return tail(of: a).lexicographicallyPrecedes(tail(of: b))
        default: return false
        }
    }

    private static func timestamp(of uuid: UUID) -> UInt64 {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            let high = UInt64(bytes[6] & 0x0F) << 8 | UInt64(bytes[7])
            let mid = UInt64(bytes[4]) << 8 | UInt64(bytes[5])
            let low = bytes[0..<4].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return high << 48 | mid << 32 | low
        }
    }

    private static func tail(of uuid: UUID) -> [UInt8] {
        withUnsafeBytes(of: uuid.uuid) { bytes in bytes[8..<16].map { $0 ^ 0x80 } }
    }
}

/// Errors the stand-in answers with, as a node would.
package enum StandInError: Error, CustomStringConvertible {
    case invalid(String)
    case syntax(String)
    case unprepared([UInt8])

    package var description: String {
        switch self {
        case .invalid(let message), .syntax(let message): message
        case .unprepared(let id): "unknown prepared statement \(id)"
        }
    }
}

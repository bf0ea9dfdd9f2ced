import CQLClient
import Foundation
import NIOConcurrencyHelpers

/// What a statement answers.
package enum StandInResult: Sendable {
    case void
    case rows(columns: [CQLColumn], rows: [[CQLValue]], pagingState: [UInt8]?)
    case schemaChange(change: String, target: String, keyspace: String, name: String?)
}

/// A statement the stand-in has prepared: its parsed form and the metadata of its markers and
/// result columns, taken from the table's definition the way a node does.
package struct StandInPrepared: Sendable {
    package var id: [UInt8]
    package var text: String
    package var statement: StandInStatement
    package var markers: [CQLColumn]
    package var partitionKeyIndexes: [UInt16]
    package var resultColumns: [CQLColumn]
}

/// One statement the stand-in ran, with its bound values (`nil` for unset), for tests to inspect.
package struct StandInExecution: Sendable {
    package var text: String
    package var values: [CQLValue?]
    package var pageSize: Int32?
    package var resumed: Bool
}

/// The stand-in's keyspaces, tables, prepared statements and the log of what ran.
package final class StandInStore: Sendable {
    private struct State {
        var keyspaces: [String: String] = [:]
        var tables: [String: StandInTable] = [:]
        var prepared: [[UInt8]: StandInPrepared] = [:]
        var log: [StandInExecution] = []
    }

    private let state = NIOLockedValueBox(State())

    package init() {
        let systemTables = [
            StandInTableSchema(
                keyspace: "system", name: "local",
                columns: [
                    ("key", .text), ("schema_version", .uuid), ("host_id", .uuid), ("cluster_name", .text),
                    ("data_center", .text), ("rack", .text), ("partitioner", .text), ("release_version", .text),
                ],
                partitionKey: ["key"], clustering: []),
            // Empty on a single node; the columns are those drivers select when they wait for
            // schema agreement (addresses as text: the stand-in has no inet type).
            StandInTableSchema(
                keyspace: "system", name: "peers",
                columns: [
                    ("peer", .text), ("data_center", .text), ("host_id", .uuid), ("rack", .text),
                    ("release_version", .text), ("rpc_address", .text), ("schema_version", .uuid),
                ],
                partitionKey: ["peer"], clustering: []),
            StandInTableSchema(
                keyspace: "system_schema", name: "tables", columns: [("keyspace_name", .text), ("table_name", .text)],
                partitionKey: ["keyspace_name"], clustering: [("table_name", false)]),
            // A node clusters it by table, then column, under the keyspace; with one clustering
            // column here, the table joins the partition key, which the lake's query restricts too.
            StandInTableSchema(
                keyspace: "system_schema", name: "columns",
                columns: [("keyspace_name", .text), ("table_name", .text), ("column_name", .text)],
                partitionKey: ["keyspace_name", "table_name"], clustering: [("column_name", false)]),
        ]
        state.withLockedValue { state in
            for schema in systemTables { state.tables[schema.qualifiedName] = StandInTable(schema: schema) }
            // What drivers read of the node they connect to, as a single-node cluster answers it.
            state.tables["system.local"]!.upsert([
                "key": .text("local"), "schema_version": .uuid(UUID()), "host_id": .uuid(UUID()),
                "cluster_name": .text("stand-in"), "data_center": .text("datacenter1"), "rack": .text("rack1"),
                "partitioner": .text("org.apache.cassandra.dht.Murmur3Partitioner"), "release_version": .text("4.1.0"),
            ])
        }
    }

    // MARK: Inspection

    /// Every statement run so far, in order.
    package var log: [StandInExecution] { state.withLockedValue { $0.log } }

    /// The rows of `table` (qualified), partition by partition, each in clustering order.
    package func rows(of table: String) -> [[String: CQLValue]] {
        state.withLockedValue { state in
            guard let table = state.tables[table] else { return [] }
            return table.partitions.keys.sorted { "\($0)" < "\($1)" }.flatMap { table.partitions[$0]! }
        }
    }

    package func replication(of keyspace: String) -> String? { state.withLockedValue { $0.keyspaces[keyspace] } }

    /// The columns of `table` (qualified), in the order they were defined and added.
    package func columnNames(of table: String) -> [String] {
        state.withLockedValue { $0.tables[table]?.schema.columns.map(\.name) ?? [] }
    }

    package func tableNames(in keyspace: String) -> [String] {
        state.withLockedValue { state in state.tables.values.map(\.schema).filter { $0.keyspace == keyspace }.map(\.name).sorted() }
    }

    // MARK: Statements

    package func prepare(_ text: String) throws -> StandInPrepared {
        let statement = try parse(text)
        return try state.withLockedValue { state in
            let (markers, keyIndexes, columns) = try Self.metadata(of: statement, tables: state.tables)
            let id = StatementID.make(text)
            let prepared = StandInPrepared(
                id: id, text: text, statement: statement, markers: markers,
                partitionKeyIndexes: keyIndexes, resultColumns: columns)
            state.prepared[id] = prepared
            return prepared
        }
    }

    package func prepared(_ id: [UInt8]) throws -> StandInPrepared {
        guard let prepared = state.withLockedValue({ $0.prepared[id] }) else { throw StandInError.unprepared(id) }
        return prepared
    }

    /// The marker types of a statement sent as text, to decode its values with.
    package func markerTypes(of text: String) throws -> (StandInStatement, [CQLColumn]) {
        let statement = try parse(text)
        return try state.withLockedValue { state in (statement, try Self.metadata(of: statement, tables: state.tables).markers) }
    }

    package func execute(_ statement: StandInStatement, text: String, values: [CQLValue?], pageSize: Int32?, pagingState: [UInt8]?) throws -> StandInResult {
        try state.withLockedValue { state in
            state.log.append(StandInExecution(text: text, values: values, pageSize: pageSize, resumed: pagingState != nil))
            return try Self.run(statement, values: values, pageSize: pageSize, pagingState: pagingState, state: &state)
        }
    }

    /// Applies every statement or, when one is invalid, none.
    package func batch(_ statements: [(StandInPrepared, [CQLValue?])]) throws {
        try state.withLockedValue { state in
            var copy = state
            for (prepared, values) in statements {
                switch prepared.statement {
                case .insert, .update(_, _, _, _, []): break
                default: throw StandInError.invalid("only INSERTs and UPDATEs without conditions may be batched here")
                }
                copy.log.append(StandInExecution(text: prepared.text, values: values, pageSize: nil, resumed: false))
                _ = try Self.run(prepared.statement, values: values, pageSize: nil, pagingState: nil, state: &copy)
            }
            state = copy
        }
    }

    private func parse(_ text: String) throws -> StandInStatement {
        do {
            return try StandInStatement(text)
        } catch let error as StandInStatement.SyntaxError {
            throw StandInError.syntax(error.description)
        }
    }

    // MARK: Execution

    private static func metadata(
        of statement: StandInStatement, tables: [String: StandInTable]
    )
        throws -> (markers: [CQLColumn], keyIndexes: [UInt16], columns: [CQLColumn])
    {
        func table(_ name: String) throws -> StandInTableSchema {
            guard let table = tables[name] else { throw StandInError.invalid("unconfigured table \(name.split(separator: ".").last!)") }
            return table.schema
        }
        func applied(_ schema: StandInTableSchema) -> CQLColumn {
            CQLColumn(keyspace: schema.keyspace, table: schema.name, name: "[applied]", type: .boolean)
        }
        func ttl(_ schema: StandInTableSchema) -> CQLColumn {
            CQLColumn(keyspace: schema.keyspace, table: schema.name, name: "[ttl]", type: .int)
        }
        func column(_ schema: StandInTableSchema, _ name: String) throws -> CQLColumn {
            guard let type = schema.type(of: name) else { throw StandInError.invalid("Undefined column name \(name) in table \(schema.qualifiedName)") }
            return CQLColumn(keyspace: schema.keyspace, table: schema.name, name: name, type: type.dataType)
        }
        switch statement {
        case .createKeyspace, .createTable, .addColumn:
            return ([], [], [])
        case .insert(let name, let columns, let ifNotExists, let hasTTL):
            let schema = try table(name)
            let markers = try columns.map { try column(schema, $0) } + (hasTTL ? [ttl(schema)] : [])
            let keyIndexes = schema.partitionKey.compactMap { key in columns.firstIndex(of: key).map { UInt16($0) } }
            return (markers, keyIndexes, ifNotExists ? [applied(schema)] : [])
        case .update(let name, let hasTTL, let assignments, let key, let conditions):
            let schema = try table(name)
            for column in key where !schema.partitionKey.contains(column) && !schema.clustering.contains(where: { $0.name == column }) {
                throw StandInError.invalid("Non PRIMARY KEY columns found in where clause: \(column)")
            }
            let columns = assignments + key + conditions
            let markers = (hasTTL ? [ttl(schema)] : []) + (try columns.map { try column(schema, $0) })
            let offset = hasTTL ? 1 + assignments.count : assignments.count
            let keyIndexes = schema.partitionKey.compactMap { column in key.firstIndex(of: column).map { UInt16(offset + $0) } }
            return (markers, keyIndexes, conditions.isEmpty ? [] : [applied(schema)])
        case .select(let name, let selection, let restrictions, let hasLimit):
            let schema = try table(name)
            let marked = restrictions.filter { $0.literal == nil }
            var markers = try marked.map { try column(schema, $0.column) }
            if hasLimit { markers.append(CQLColumn(keyspace: schema.keyspace, table: schema.name, name: "[limit]", type: .int)) }
            let keyIndexes = schema.partitionKey.compactMap { key in
                marked.firstIndex { $0.column == key && $0.op == .equal }.map { UInt16($0) }
            }
            let columns: [CQLColumn]
            switch selection {
            case .count: columns = [CQLColumn(keyspace: schema.keyspace, table: schema.name, name: "count", type: .bigint)]
            case .columns(let names): columns = try names.map { try column(schema, $0) }
            case .all: columns = try schema.columns.map { try column(schema, $0.name) }
            }
            return (markers, keyIndexes, columns)
        }
    }

    private static func run(
        _ statement: StandInStatement, values: [CQLValue?], pageSize: Int32?, pagingState: [UInt8]?,
        state: inout State
    ) throws -> StandInResult {
        let (markers, _, columns) = try metadata(of: statement, tables: state.tables)
        guard values.count == markers.count else {
            throw StandInError.invalid("There were \(markers.count) markers(?) in CQL but \(values.count) bound variables")
        }
        for (marker, value) in zip(markers, values) {
            if let value, let type = state.tables["\(marker.keyspace).\(marker.table)"]?.schema.type(of: marker.name),
                !type.accepts(value)
            {
                throw StandInError.invalid("Invalid value \(value) for \(marker.name) of type \(type)")
            }
        }
        switch statement {
        case .createKeyspace(let name, let replication):
            guard state.keyspaces[name] == nil else { return .void }
            state.keyspaces[name] = replication
            return .schemaChange(change: "CREATED", target: "KEYSPACE", keyspace: name, name: nil)
        case .createTable(let schema):
            guard state.keyspaces[schema.keyspace] != nil else { throw StandInError.invalid("Keyspace \(schema.keyspace) doesn't exist") }
            guard state.tables[schema.qualifiedName] == nil else { return .void }
            state.tables[schema.qualifiedName] = StandInTable(schema: schema)
            state.tables["system_schema.tables"]!.upsert(["keyspace_name": .text(schema.keyspace), "table_name": .text(schema.name)])
            for column in schema.columns { Self.describe(column.name, of: schema, in: &state) }
            return .schemaChange(change: "CREATED", target: "TABLE", keyspace: schema.keyspace, name: schema.name)
        case .addColumn(let name, let column, let type):
            guard var table = state.tables[name] else { throw StandInError.invalid("unconfigured table \(name.split(separator: ".").last!)") }
            try table.schema.add(column: column, type: type)
            state.tables[name] = table
            Self.describe(column, of: table.schema, in: &state)
            return .schemaChange(change: "UPDATED", target: "TABLE", keyspace: table.schema.keyspace, name: table.schema.name)
        case .insert(let name, let names, let ifNotExists, let hasTTL):
            let schema = state.tables[name]!.schema
            for key in schema.partitionKey + schema.clustering.map(\.name) {
                guard let index = names.firstIndex(of: key), let value = values[index], value != .null else {
                    throw StandInError.invalid("Invalid null or unset value for key column \(key)")
                }
            }
            let row = Dictionary(uniqueKeysWithValues: zip(names, values))
            let previous = state.tables[name]!.upsert(row, onlyIfAbsent: ifNotExists, ttl: hasTTL ? try Self.ttl(values.last) : nil)
            guard ifNotExists else { return .void }
            guard let previous else { return .rows(columns: columns, rows: [[.boolean(true)]], pagingState: nil) }
            let existing = schema.columns.map { CQLColumn(keyspace: schema.keyspace, table: schema.name, name: $0.name, type: $0.type.dataType) }
            return .rows(columns: columns + existing, rows: [[.boolean(false)] + existing.map { previous[$0.name] ?? .null }], pagingState: nil)
        case .update(let name, let hasTTL, let assignments, let key, let conditions):
            let schema = state.tables[name]!.schema
            let bound = Array(values.dropFirst(hasTTL ? 1 : 0))
            let row = Dictionary(uniqueKeysWithValues: zip(assignments + key, bound))
            for column in schema.partitionKey + schema.clustering.map(\.name) {
                guard let value = row[column] ?? nil, value != .null else {
                    throw StandInError.invalid("Some partition key parts are missing or null: \(column)")
                }
            }
            let ttl = hasTTL ? try Self.ttl(values.first) : nil
            guard !conditions.isEmpty else {
                state.tables[name]!.upsert(row, ttl: ttl)
                return .void
            }
            // A conditional update applies only when every condition holds on the live row;
            // otherwise it answers the conditions' columns as they are.
            let expected = zip(conditions, bound.suffix(conditions.count)).map { ($0, $1 ?? .null) }
            let current = try state.tables[name]!.select(key.map { (column: $0, op: .equal, value: row[$0]!!) }).first
            let holds = current != nil && expected.allSatisfy { (current![$0.0] ?? .null) == $0.1 }
            guard holds else {
                let shown = conditions.map { CQLColumn(keyspace: schema.keyspace, table: schema.name, name: $0, type: schema.type(of: $0)!.dataType) }
                return .rows(
                    columns: columns + (current == nil ? [] : shown),
                    rows: [[.boolean(false)] + (current == nil ? [] : conditions.map { current![$0] ?? .null })], pagingState: nil)
            }
            state.tables[name]!.upsert(row, ttl: ttl)
            return .rows(columns: columns, rows: [[.boolean(true)]], pagingState: nil)
        case .select(let name, let selection, let restrictions, let hasLimit):
            var markerValues = values.makeIterator()
            let bound = restrictions.map { restriction in
                (restriction.column, restriction.op, restriction.literal.map(CQLValue.text) ?? (markerValues.next() ?? nil) ?? .null)
            }
            var rows = try state.tables[name]!.select(bound)
            if hasLimit {
                guard case .int(let limit)? = values.last, limit > 0 else { throw StandInError.invalid("LIMIT must be strictly positive") }
                rows = Array(rows.prefix(Int(limit)))
            }
            if case .count = selection {
                return .rows(columns: columns, rows: [[.bigint(Int64(rows.count))]], pagingState: nil)
            }
            let offset = pagingState.map { $0.reduce(0) { $0 << 8 | Int($1) } } ?? 0
            let end = pageSize.map { min(offset + Int($0), rows.count) } ?? rows.count
            let page = rows[min(offset, rows.count)..<end].map { row in columns.map { row[$0.name] ?? .null } }
            let next = end < rows.count ? withUnsafeBytes(of: UInt32(end).bigEndian) { Array($0) } : nil
            return .rows(columns: columns, rows: page, pagingState: next)
        }
    }
}

extension StandInStore {
    /// Lists a table's column in `system_schema.columns`, as a node does for every column it defines.
    private static func describe(_ column: String, of schema: StandInTableSchema, in state: inout State) {
        state.tables["system_schema.columns"]!.upsert(
            ["keyspace_name": .text(schema.keyspace), "table_name": .text(schema.name), "column_name": .text(column)])
    }

    /// A TTL marker's value, in seconds: zero or more, as a node requires.
    fileprivate static func ttl(_ value: CQLValue??) throws -> Int32 {
        guard case .int(let seconds)?? = value, seconds >= 0 else { throw StandInError.invalid("A TTL must be greater or equal to 0") }
        return seconds
    }
}

/// A short id derived from a statement's text (FNV-1a), the same for every preparation.
private enum StatementID {
    package static func make(_ text: String) -> [UInt8] {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return withUnsafeBytes(of: hash.bigEndian) { Array($0) }
    }
}

import NIOCore

/// A Schema_change result: what a DDL statement changed.
public struct CQLSchemaChange: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable {
        case created = "CREATED"
        case updated = "UPDATED"
        case dropped = "DROPPED"
    }

    public enum Target: String, Sendable, Hashable {
        case keyspace = "KEYSPACE"
        case table = "TABLE"
        case type = "TYPE"
        case function = "FUNCTION"
        case aggregate = "AGGREGATE"
    }

    public var change: Change
    public var target: Target
    public var keyspace: String
    /// The table, type, function or aggregate; nil for a keyspace.
    public var name: String?
    /// The CQL argument types of a function or aggregate.
    public var argumentTypes: [String]

    public init(change: Change, target: Target, keyspace: String, name: String? = nil, argumentTypes: [String] = []) {
        self.change = change
        self.target = target
        self.keyspace = keyspace
        self.name = name
        self.argumentTypes = argumentTypes
    }

    static func decode(from body: inout ByteBuffer) throws -> CQLSchemaChange {
        let changeText = try body.readCQLString("schema change type")
        let targetText = try body.readCQLString("schema change target")
        guard let change = Change(rawValue: changeText) else {
            throw CQLClientError.malformedMessage("unknown schema change type \(changeText)")
        }
        guard let target = Target(rawValue: targetText) else {
            throw CQLClientError.malformedMessage("unknown schema change target \(targetText)")
        }
        let keyspace = try body.readCQLString("schema change keyspace")
        switch target {
        case .keyspace:
            return CQLSchemaChange(change: change, target: target, keyspace: keyspace)
        case .table, .type:
            let name = try body.readCQLString("schema change name")
            return CQLSchemaChange(change: change, target: target, keyspace: keyspace, name: name)
        case .function, .aggregate:
            let name = try body.readCQLString("schema change name")
            let argumentTypes = try body.readCQLStringList("schema change argument types")
            return CQLSchemaChange(
                change: change, target: target, keyspace: keyspace, name: name, argumentTypes: argumentTypes
            )
        }
    }
}

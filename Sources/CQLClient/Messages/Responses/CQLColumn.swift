/// Describes one column of a result, or one bind marker of a prepared statement.
public struct CQLColumn: Sendable, Hashable {
    public var keyspace: String
    public var table: String
    public var name: String
    public var type: CQLDataType

    public init(keyspace: String, table: String, name: String, type: CQLDataType) {
        self.keyspace = keyspace
        self.table = table
        self.name = name
        self.type = type
    }
}

/// The columns of a page, shared by all its rows, with a name lookup built once.
final class CQLColumnLayout: Sendable {
    let columns: [CQLColumn]
    private let indexByName: [String: Int]

    init(columns: [CQLColumn]) {
        self.columns = columns
        var indexByName: [String: Int] = [:]
        for (index, column) in columns.enumerated() where indexByName[column.name] == nil {
            indexByName[column.name] = index
        }
        self.indexByName = indexByName
    }

    func index(of name: String) -> Int? {
        indexByName[name]
    }
}

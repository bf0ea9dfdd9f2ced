/// The few CQL statement shapes the Cassandra stand-in understands, parsed from their text, so
/// that the lake's real statements (names, columns, restrictions, markers) are what is tested.
/// Anything else is a syntax error, as it would be for a statement the lake never meant to send.
package enum StandInStatement: Sendable {
    case createKeyspace(name: String, replication: String)
    case createTable(StandInTableSchema)
    /// `ALTER TABLE t ADD c type`: one column, as every Cassandra release since 3.0 takes it.
    case addColumn(table: String, column: String, type: StandInType)
    /// Every value is a bind marker, one per column; `USING TTL ?` is the last marker.
    case insert(table: String, columns: [String], ifNotExists: Bool, hasTTL: Bool)
    /// `UPDATE t [USING TTL ?] SET c = ?, … WHERE k = ? [IF c = ? AND …]`: markers in that order.
    case update(table: String, hasTTL: Bool, assignments: [String], key: [String], conditions: [String])
    /// Every restriction compares a column with a bind marker or a text literal; `LIMIT ?` is the last marker.
    case select(table: String, selection: Selection, restrictions: [Restriction], hasLimit: Bool)

    package enum Selection: Sendable {
        case columns([String])
        /// `SELECT *`, as drivers read system tables.
        case all
        case count
    }

    package struct Restriction: Sendable {
        package enum Operator: String, Sendable {
            case equal = "=", greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<="
        }

        package var column: String
        package var op: Operator
        /// A text literal compared with (`key = 'local'`, as drivers query system tables), else a bind marker.
        package var literal: String? = nil
    }

    package struct SyntaxError: Error, CustomStringConvertible {
        package var description: String
    }

    package init(_ text: String) throws {
        var parser = Parser(tokens: try Self.tokens(text), text: text)
        self = try parser.statement()
    }

    // MARK: Tokens

    package enum Token: Equatable, Sendable {
        case word(String)
        case symbol(String)
        case string(String)
        case number(String)
    }

    package static func tokens(_ text: String) throws -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace {
                index += 1
            } else if character.isLetter || character == "_" {
                var word = ""
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" {
                    word.append(characters[index])
                    index += 1
                }
                tokens.append(.word(word))
            } else if character.isNumber {
                var number = ""
                while index < characters.count, characters[index].isNumber {
                    number.append(characters[index])
                    index += 1
                }
                tokens.append(.number(number))
            } else if character == "'" {
                var literal = ""
                index += 1
                while true {
                    guard index < characters.count else { throw SyntaxError(description: "unterminated string in \(text)") }
                    if characters[index] == "'" {
                        if index + 1 < characters.count, characters[index + 1] == "'" {
                            literal.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    literal.append(characters[index])
                    index += 1
                }
                tokens.append(.string(literal))
            } else if "<>".contains(character), index + 1 < characters.count, characters[index + 1] == "=" {
                tokens.append(.symbol(String(character) + "="))
                index += 2
            } else if "(),;=<>*?{}:.".contains(character) {
                tokens.append(.symbol(String(character)))
                index += 1
            } else {
                throw SyntaxError(description: "unexpected character \(character) in \(text)")
            }
        }
        return tokens
    }

    // MARK: Parsing

    package struct Parser {
        var tokens: [Token]
        let text: String
        var index = 0

        mutating func statement() throws -> StandInStatement {
            let statement: StandInStatement
            if accept(keyword: "create") {
                if accept(keyword: "keyspace") {
                    try expect(keywords: "if", "not", "exists")
                    let name = try identifier()
                    try expect(keywords: "with", "replication")
                    try expect(symbol: "=")
                    let start = index
                    try skipBalanced()
                    statement = .createKeyspace(name: name, replication: render(tokens[start..<index]))
                } else {
                    try expect(keywords: "table", "if", "not", "exists")
                    statement = .createTable(try tableDefinition(name: try qualifiedName()))
                }
            } else if accept(keyword: "alter") {
                try expect(keywords: "table")
                let table = try qualifiedName()
                try expect(keywords: "add")
                statement = .addColumn(table: table, column: try identifier(), type: try type())
            } else if accept(keyword: "insert") {
                try expect(keywords: "into")
                let table = try qualifiedName()
                let columns = try parenthesized { try $0.identifier() }
                try expect(keywords: "values")
                let markerCount = try parenthesized { try $0.expect(symbol: "?") }.count
                guard markerCount == columns.count else { throw error("\(columns.count) columns but \(markerCount) values") }
                let ifNotExists = accept(keyword: "if")
                if ifNotExists { try expect(keywords: "not", "exists") }
                statement = .insert(table: table, columns: columns, ifNotExists: ifNotExists, hasTTL: try usingTTL())
            } else if accept(keyword: "update") {
                let table = try qualifiedName()
                let hasTTL = try usingTTL()
                try expect(keywords: "set")
                let assignments = try markedColumns(separator: { $0.accept(symbol: ",") })
                try expect(keywords: "where")
                let key = try markedColumns(separator: { $0.accept(keyword: "and") })
                let conditions = accept(keyword: "if") ? try markedColumns(separator: { $0.accept(keyword: "and") }) : []
                statement = .update(table: table, hasTTL: hasTTL, assignments: assignments, key: key, conditions: conditions)
            } else if accept(keyword: "select") {
                var selection = Selection.columns([])
                if accept(keyword: "count") {
                    try expect(symbol: "(")
                    try expect(symbol: "*")
                    try expect(symbol: ")")
                    selection = .count
                } else if accept(symbol: "*") {
                    selection = .all
                } else {
                    var columns = [try identifier()]
                    while accept(symbol: ",") { columns.append(try identifier()) }
                    selection = .columns(columns)
                }
                try expect(keywords: "from")
                let table = try qualifiedName()
                var restrictions: [Restriction] = []
                if accept(keyword: "where") {
                    repeat {
                        let column = try identifier()
                        guard case .symbol(let symbol) = next(), let op = Restriction.Operator(rawValue: symbol) else {
                            throw error("expected a comparison after \(column)")
                        }
                        if index < tokens.count, case .string(let literal) = tokens[index] {
                            index += 1
                            restrictions.append(Restriction(column: column, op: op, literal: literal))
                        } else {
                            try expect(symbol: "?")
                            restrictions.append(Restriction(column: column, op: op))
                        }
                    } while accept(keyword: "and")
                }
                let hasLimit = accept(keyword: "limit")
                if hasLimit { try expect(symbol: "?") }
                statement = .select(table: table, selection: selection, restrictions: restrictions, hasLimit: hasLimit)
            } else {
                throw error("unsupported statement")
            }
            _ = accept(symbol: ";")
            guard index == tokens.count else { throw error("unexpected \(tokens[index]) after the statement") }
            return statement
        }

        /// `USING TTL ?`, when it follows.
        private mutating func usingTTL() throws -> Bool {
            guard accept(keyword: "using") else { return false }
            try expect(keywords: "ttl")
            try expect(symbol: "?")
            return true
        }

        /// `c = ?` one or more times, with `separator` between them.
        private mutating func markedColumns(separator: (inout Parser) -> Bool) throws -> [String] {
            var columns: [String] = []
            repeat {
                columns.append(try identifier())
                try expect(symbol: "=")
                try expect(symbol: "?")
            } while separator(&self)
            return columns
        }

        private mutating func tableDefinition(name: String) throws -> StandInTableSchema {
            var columns: [(String, StandInType)] = []
            var partitionKey: [String] = []
            var clustering: [String] = []
            try expect(symbol: "(")
            repeat {
                if accept(keyword: "primary") {
                    try expect(keywords: "key")
                    try expect(symbol: "(")
                    if accept(symbol: "(") {
                        repeat { partitionKey.append(try identifier()) } while accept(symbol: ",")
                        try expect(symbol: ")")
                    } else {
                        partitionKey = [try identifier()]
                    }
                    while accept(symbol: ",") { clustering.append(try identifier()) }
                    try expect(symbol: ")")
                } else {
                    let column = try identifier()
                    columns.append((column, try type()))
                    if accept(keyword: "primary") {
                        try expect(keywords: "key")
                        partitionKey = [column]
                    }
                }
            } while accept(symbol: ",")
            try expect(symbol: ")")
            var descending: Set<String> = []
            if accept(keyword: "with") {
                repeat {
                    if accept(keyword: "clustering") {
                        try expect(keywords: "order", "by")
                        try expect(symbol: "(")
                        repeat {
                            let column = try identifier()
                            if accept(keyword: "desc") { descending.insert(column) } else { try expect(keywords: "asc") }
                        } while accept(symbol: ",")
                        try expect(symbol: ")")
                    } else {
                        _ = try identifier()
                        try expect(symbol: "=")
                        try skipBalanced()
                    }
                } while accept(keyword: "and")
            }
            let parts = name.split(separator: ".").map(String.init)
            let schema = StandInTableSchema(
                keyspace: parts[0], name: parts[1], columns: columns, partitionKey: partitionKey,
                clustering: clustering.map { ($0, descending.contains($0)) })
            try schema.validate()
            return schema
        }

        private mutating func type() throws -> StandInType {
            let name = try identifier()
            if name == "map" {
                try expect(symbol: "<")
                let key = try type()
                try expect(symbol: ",")
                let value = try type()
                try expect(symbol: ">")
                return .map(key, value)
            }
            guard let type = StandInType(name: name) else { throw error("unknown type \(name)") }
            return type
        }

        /// Skips one literal: a string, a number, or a `{…}` map with nested literals.
        private mutating func skipBalanced() throws {
            guard index < tokens.count else { throw error("expected a literal") }
            if tokens[index] == .symbol("{") {
                var depth = 0
                repeat {
                    guard index < tokens.count else { throw error("unbalanced {") }
                    if tokens[index] == .symbol("{") { depth += 1 }
                    if tokens[index] == .symbol("}") { depth -= 1 }
                    index += 1
                } while depth > 0
            } else {
                index += 1
            }
        }

        private func render(_ slice: ArraySlice<Token>) -> String {
            slice.map { token in
                switch token {
                case .word(let word): word
                case .symbol(let symbol): symbol
                case .string(let string): "'\(string)'"
                case .number(let number): number
                }
            }.joined(separator: " ")
        }

        private mutating func parenthesized<T>(_ element: (inout Parser) throws -> T) throws -> [T] {
            try expect(symbol: "(")
            var elements = [try element(&self)]
            while accept(symbol: ",") { elements.append(try element(&self)) }
            try expect(symbol: ")")
            return elements
        }

        private mutating func qualifiedName() throws -> String {
            let keyspace = try identifier()
            try expect(symbol: ".")
            return keyspace + "." + (try identifier())
        }

        private mutating func identifier() throws -> String {
            guard case .word(let word) = next() else { throw error("expected a name") }
            return word.lowercased()
        }

        private mutating func next() -> Token? {
            guard index < tokens.count else { return nil }
            defer { index += 1 }
            return tokens[index]
        }

        private mutating func accept(keyword: String) -> Bool {
            guard index < tokens.count, case .word(let word) = tokens[index], word.lowercased() == keyword else { return false }
            index += 1
            return true
        }

        private mutating func accept(symbol: String) -> Bool {
            guard index < tokens.count, tokens[index] == .symbol(symbol) else { return false }
            index += 1
            return true
        }

        private mutating func expect(keywords: String...) throws {
            for keyword in keywords where !accept(keyword: keyword) { throw error("expected \(keyword.uppercased())") }
        }

        private mutating func expect(symbol: String) throws {
            guard accept(symbol: symbol) else { throw error("expected \(symbol)") }
        }

        private func error(_ reason: String) -> SyntaxError {
            SyntaxError(description: "line 1: \(reason) at token \(index) of: \(text)")
        }
    }
}

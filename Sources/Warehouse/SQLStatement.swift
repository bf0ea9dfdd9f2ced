/// A statement of the SQL files: its text with a `?` for each parameter, and the parameters'
/// names in that order.
///
/// The files name their parameters (`:position`, `:owner`…), so that the order lives in one
/// place, the file: callers bind by name, and a name used twice is bound twice. A statement without
/// names (`merge-events`, whose `VALUES` row is repeated per grain) keeps positional markers, in
/// the order its header lists.
public struct SQLStatement: Sendable, Equatable {
    public let text: String
    public let parameterNames: [String]

    /// Reads one statement: `:name` (a letter or `_`, then letters, digits or `_`) becomes `?`,
    /// except in `--` comments and quoted literals, which are kept as they are.
    public init(parsing source: String) {
        var reader = Reader(source[...])
        self = reader.next(stoppingAtSemicolon: false)
    }

    /// Reads a file of statements separated by `;` (outside comments, literals, and the `BEGIN …
    /// END` body of a trigger, whose own statements end with `;`); pieces with nothing but
    /// comments and blanks are left out.
    public static func script(parsing source: String) -> [SQLStatement] {
        var reader = Reader(source[...])
        var statements: [SQLStatement] = []
        while !reader.isAtEnd {
            let statement = reader.next(stoppingAtSemicolon: true)
            if !statement.isOnlyComments { statements.append(statement) }
        }
        return statements
    }

    /// The values for the markers, in order; throws when a name has no value.
    func arguments(_ values: [String: SQLValue], statement name: String) throws -> [SQLValue] {
        try parameterNames.map { parameter in
            guard let value = values[parameter] else { throw WarehouseError.unboundParameter(statement: name, parameter: parameter) }
            return value
        }
    }

    private init(text: String, parameterNames: [String]) {
        self.text = text
        self.parameterNames = parameterNames
    }

    private var isOnlyComments: Bool {
        text.split(separator: "\n").allSatisfy { line in
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }
            return trimmed.isEmpty || trimmed.hasPrefix("--")
        }
    }

    /// Walks the source once, character by character: the files are small and read once per process.
    private struct Reader {
        var characters: Substring
        init(_ characters: Substring) { self.characters = characters }
        var isAtEnd: Bool { characters.isEmpty }

        mutating func next(stoppingAtSemicolon: Bool) -> SQLStatement {
            var text = ""
            var names: [String] = []
            // `BEGIN` and `CASE` open a block that `END` closes; a `;` inside one does not end the statement.
            var depth = 0
            while let character = characters.first {
                if character == "-", characters.dropFirst().first == "-" {
                    let line = characters.prefix { $0 != "\n" }
                    text += line
                    characters = characters[line.endIndex...]
                } else if character == "'" || character == "\"" {
                    let rest = characters.dropFirst()
                    let literal = rest.firstIndex(of: character).map { characters[...$0] } ?? characters
                    text += literal
                    characters = characters[literal.endIndex...]
                } else if character == ":", let first = characters.dropFirst().first, first.isLetter || first == "_" {
                    let name = characters.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                    names.append(String(name))
                    text += "?"
                    characters = characters[name.endIndex...]
                } else if character == ";", stoppingAtSemicolon, depth == 0 {
                    characters = characters.dropFirst()
                    break
                } else if character.isLetter || character == "_" {
                    let word = characters.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
                    switch word.uppercased() {
                    case "BEGIN", "CASE": depth += 1
                    case "END" where depth > 0: depth -= 1
                    default: break
                    }
                    text += word
                    characters = characters[word.endIndex...]
                } else {
                    text.append(character)
                    characters = characters.dropFirst()
                }
            }
            return SQLStatement(text: text, parameterNames: names)
        }
    }
}

/// One result row, read by column name, as GRDB reads rows: `try row.int("clicks")`.
///
/// A getter throws ``SQLRowError`` naming the column when the statement has no such column, or
/// when the value is NULL or not of the type asked for; the `optional…` getters read NULL as
/// `nil`. Nothing is silently read as 0.
public struct SQLRow: Sendable, Hashable {
    /// The statement's column names (or aliases), in order; shared by all its rows.
    public let columns: [String]
    public let values: [SQLValue]

    public init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value of `column`; throws when the statement has no such column.
    public func value(_ column: String) throws(SQLRowError) -> SQLValue {
        guard let index = columns.firstIndex(of: column) else { throw SQLRowError(.missingColumn, column: column, row: self) }
        return values[index]
    }

    public func int(_ column: String) throws(SQLRowError) -> Int64 {
        try required(column, as: .integer, \.int)
    }

    public func optionalInt(_ column: String) throws(SQLRowError) -> Int64? {
        try optional(column, as: .integer, \.int)
    }

    /// An `INT` column, as the warehouse's ids are.
    public func int32(_ column: String) throws(SQLRowError) -> Int32 {
        let value = try int(column)
        guard let narrow = Int32(exactly: value) else { throw SQLRowError(.wrongType(.int32), column: column, row: self) }
        return narrow
    }

    public func optionalInt32(_ column: String) throws(SQLRowError) -> Int32? {
        guard let value = try optionalInt(column) else { return nil }
        guard let narrow = Int32(exactly: value) else { throw SQLRowError(.wrongType(.int32), column: column, row: self) }
        return narrow
    }

    public func double(_ column: String) throws(SQLRowError) -> Double {
        try required(column, as: .double, \.double)
    }

    public func optionalDouble(_ column: String) throws(SQLRowError) -> Double? {
        try optional(column, as: .double, \.double)
    }

    public func text(_ column: String) throws(SQLRowError) -> String {
        try required(column, as: .text, \.text)
    }

    public func optionalText(_ column: String) throws(SQLRowError) -> String? {
        try optional(column, as: .text, \.text)
    }

    private func required<T>(_ column: String, as type: SQLRowError.Expected, _ read: (SQLValue) -> T?) throws(SQLRowError) -> T {
        guard let value = try optional(column, as: type, read) else { throw SQLRowError(.null, column: column, row: self) }
        return value
    }

    private func optional<T>(_ column: String, as type: SQLRowError.Expected, _ read: (SQLValue) -> T?) throws(SQLRowError) -> T? {
        let value = try value(column)
        if value == .null { return nil }
        guard let typed = read(value) else { throw SQLRowError(.wrongType(type), column: column, row: self) }
        return typed
    }
}

/// A row that does not hold what its reader expects: the statement and the code disagree.
public struct SQLRowError: Error, CustomStringConvertible, Equatable {
    public enum Expected: String, Sendable, Equatable {
        case integer = "an integer", int32 = "a 32-bit integer", double = "a number", text
    }

    public enum Code: Sendable, Equatable {
        /// The statement returns no column of that name.
        case missingColumn
        /// The column is NULL where a value is required.
        case null
        /// The value cannot be read as the type asked for.
        case wrongType(Expected)
    }

    public let code: Code
    public let column: String
    /// The columns the statement does return, for the message.
    public let columns: [String]
    public let value: SQLValue?

    init(_ code: Code, column: String, row: SQLRow) {
        self.code = code
        self.column = column
        self.columns = row.columns
        self.value = row.columns.firstIndex(of: column).map { row.values[$0] }
    }

    public var description: String {
        switch code {
        case .missingColumn: "the result has no column \(column) (it has \(columns.joined(separator: ", ")))"
        case .null: "the column \(column) is NULL where a value is required"
        case .wrongType(let expected): "the column \(column) holds \(value.map { "\($0)" } ?? "nothing"), not \(expected.rawValue)"
        }
    }
}

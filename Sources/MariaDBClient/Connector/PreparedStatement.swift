#if MySQL
import CMariaDB

/// What one statement produced.
struct StatementOutcome: Sendable {
    /// Rows changed by `INSERT`/`UPDATE`/`DELETE`, or rows returned by a `SELECT`.
    var affectedRows: Int
    var rows: [MariaDBRow]
}

extension ConnectorSession {
    /// Runs `sql` as a prepared statement (prepared on the server the first time this
    /// connection runs that text, then taken from ``preparedStatements``), binds `parameters` to
    /// its `?` placeholders, executes it and (when `collectRows` is set) fetches every row of
    /// its result.
    func runPrepared(_ sql: String, _ parameters: [MariaDBValue], collectRows: Bool) throws -> StatementOutcome {
        let handle = try connectedHandle()
        let statement = try preparedStatement(sql, on: handle)
        do {
            return try run(statement, parameters, collectRows: collectRows)
        } catch {
            preparedStatements.discard(sql)
            throw error
        }
    }

    private func preparedStatement(_ sql: String, on handle: UnsafeMutablePointer<MYSQL>) throws -> UnsafeMutablePointer<MYSQL_STMT> {
        if let statement = preparedStatements.statement(for: sql) { return statement }
        guard let statement = mysql_stmt_init(handle) else {
            throw MariaDBError(connection: handle)
        }
        let prepareFailed = sql.withCString { mysql_stmt_prepare(statement, $0, UInt(sql.utf8.count)) != 0 }
        if prepareFailed {
            let error = MariaDBError(statement: statement)
            mysql_stmt_close(statement)
            throw error
        }
        preparedStatements.keep(statement, for: sql)
        return statement
    }

    private func run(_ statement: UnsafeMutablePointer<MYSQL_STMT>, _ parameters: [MariaDBValue], collectRows: Bool) throws -> StatementOutcome {
        let placeholderCount = Int(mysql_stmt_param_count(statement))
        guard placeholderCount == parameters.count else {
            throw MariaDBUsageError.parameterCountMismatch(expected: placeholderCount, provided: parameters.count)
        }

        let bindings = ParameterBindings(parameters)
        let executeFailed = withExtendedLifetime(bindings) {
            (placeholderCount > 0 && mysql_stmt_bind_param(statement, bindings.binds) != 0)
                || mysql_stmt_execute(statement) != 0
        }
        if executeFailed {
            throw MariaDBError(statement: statement)
        }

        let outcome = try collectResult(statement, collectRows: collectRows)
        try skipFurtherResults(statement)
        return outcome
    }

    private func collectResult(_ statement: UnsafeMutablePointer<MYSQL_STMT>, collectRows: Bool) throws -> StatementOutcome {
        let columnCount = Int(mysql_stmt_field_count(statement))
        guard columnCount > 0 else {
            return StatementOutcome(affectedRows: affectedRows(statement), rows: [])
        }
        // Buffer the whole result on the client: the caller gets an array, and the connection
        // is free for the next statement as soon as this returns.
        if mysql_stmt_store_result(statement) != 0 {
            throw MariaDBError(statement: statement)
        }
        defer { mysql_stmt_free_result(statement) }
        let rows = collectRows ? try fetchRows(statement, columnCount: columnCount) : []
        return StatementOutcome(affectedRows: affectedRows(statement), rows: rows)
    }

    /// Reads and drops the results after the first (a `CALL` ends with a status result of its
    /// own): the statement stays prepared for its next run, and neither it nor the connection
    /// may have results still pending then.
    private func skipFurtherResults(_ statement: UnsafeMutablePointer<MYSQL_STMT>) throws {
        while mysql_stmt_more_results(statement) != 0 {
            if mysql_stmt_next_result(statement) > 0 {
                throw MariaDBError(statement: statement)
            }
            if mysql_stmt_field_count(statement) > 0 {
                if mysql_stmt_store_result(statement) != 0 { throw MariaDBError(statement: statement) }
                mysql_stmt_free_result(statement)
            }
        }
    }

    private func fetchRows(_ statement: UnsafeMutablePointer<MYSQL_STMT>, columnCount: Int) throws -> [MariaDBRow] {
        guard let metadata = mysql_stmt_result_metadata(statement) else {
            throw MariaDBError(statement: statement)
        }
        defer { mysql_free_result(metadata) }
        let results = ResultBindings(fields: mysql_fetch_fields(metadata), count: columnCount)
        if mysql_stmt_bind_result(statement, results.binds) != 0 {
            throw MariaDBError(statement: statement)
        }
        var rows: [MariaDBRow] = []
        rows.reserveCapacity(Int(mysql_stmt_num_rows(statement)))
        // The bound buffers are written by every mysql_stmt_fetch, so they must outlive the loop.
        try withExtendedLifetime(results) {
            while true {
                // MYSQL_DATA_TRUNCATED only means a value was longer than its first buffer;
                // ResultBindings fetches such values in full.
                switch mysql_stmt_fetch(statement) {
                case 0, MYSQL_DATA_TRUNCATED:
                    rows.append(try results.currentRow(of: statement))
                case MYSQL_NO_DATA:
                    return
                default:
                    throw MariaDBError(statement: statement)
                }
            }
        }
        return rows
    }

    private func affectedRows(_ statement: UnsafeMutablePointer<MYSQL_STMT>) -> Int {
        Int(truncatingIfNeeded: mysql_stmt_affected_rows(statement))
    }
}
#endif

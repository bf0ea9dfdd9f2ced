#if MySQL
import CMariaDB

/// A connection's prepared statements, by SQL text: a statement run again costs one round trip
/// (execute) instead of three (prepare, execute, close). A server-side statement belongs to the
/// session it was prepared in, so the owning ``ConnectorSession`` closes every one before its
/// handle closes or reconnects. Bounded: preparing one more than ``capacity`` closes the one
/// used longest ago, so texts built from data sizes (an `IN` list per length) cannot pile up on
/// the server, whose `max_prepared_stmt_count` all connections share.
///
/// Confined to the session's thread, like the session itself.
struct StatementCache {
    static let capacity = 64

    private var entries: [String: Entry] = [:]
    private var uses: UInt64 = 0

    private struct Entry {
        let statement: UnsafeMutablePointer<MYSQL_STMT>
        var lastUse: UInt64
    }

    /// The statement prepared for `sql`, if any, now counted as the most recently used.
    mutating func statement(for sql: String) -> UnsafeMutablePointer<MYSQL_STMT>? {
        guard entries[sql] != nil else { return nil }
        uses += 1
        entries[sql]!.lastUse = uses
        return entries[sql]!.statement
    }

    /// Keeps `statement`, prepared for `sql`, closing the least recently used one when full.
    mutating func keep(_ statement: UnsafeMutablePointer<MYSQL_STMT>, for sql: String) {
        if entries.count >= Self.capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key {
            discard(oldest)
        }
        uses += 1
        entries[sql] = Entry(statement: statement, lastUse: uses)
    }

    /// Closes the statement prepared for `sql`: after a failure its state on the server is unknown.
    mutating func discard(_ sql: String) {
        if let entry = entries.removeValue(forKey: sql) { mysql_stmt_close(entry.statement) }
    }

    /// Closes every statement; run before the handle they belong to closes.
    mutating func discardAll() {
        for entry in entries.values { mysql_stmt_close(entry.statement) }
        entries = [:]
    }
}
#endif

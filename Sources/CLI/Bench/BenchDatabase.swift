import JobPulseWarehouse

/// The warehouse database a scenario writes to or watches: the MySQL/MariaDB database at `mysql`
/// when one is given (one read connection: a scenario reads from one task), else the SQLite file
/// at `sqlitePath`.
func benchDatabase(sqlitePath: String, mysql: String?) throws -> any SQLDatabase {
    guard let mysql else { return try SQLiteDatabase(path: sqlitePath) }
    #if MySQL
    return try MySQLDatabase(url: mysql, readConnections: 1)
    #else
    throw BenchError("a MySQL warehouse needs a jobpulse built with --traits MySQL (\(mysql))")
    #endif
}

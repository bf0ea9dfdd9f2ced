import Foundation
import JobPulseWarehouse

/// Waits until MySQL/MariaDB has written out what a scenario just wrote: InnoDB keeps written
/// pages in its buffer pool and flushes them in the background for minutes after a large write,
/// and a scenario measured meanwhile would time that flushing too.
enum InnoDBWriteOut {
    /// Polls `SHOW GLOBAL STATUS` every two seconds until fewer than 1 % of the buffer pool's
    /// pages are dirty, or `limit` seconds have passed; the seconds waited.
    static func wait(url: String, limit: Double, progress: (String) -> Void) async throws -> Double {
        #if MySQL
        let database = try MySQLDatabase(url: url, readConnections: 1)
        let clock = ContinuousClock()
        let start = clock.now
        var waited = 0.0
        do {
            while true {
                let (dirty, total) = try await pages(database)
                waited = (clock.now - start).inSeconds
                if dirty * 100 < total || waited >= limit { break }
                progress("InnoDB still has \(grouped(Int(dirty))) dirty pages of \(grouped(Int(total))); waiting (\(Int(waited)) s)")
                try await Task.sleep(for: .seconds(2))
            }
        } catch {
            try? await database.close()
            throw error
        }
        try await database.close()
        return waited
        #else
        throw BenchError("waiting for MySQL needs a jobpulse built with --traits MySQL")
        #endif
    }

    #if MySQL
    /// The buffer pool's dirty pages and all its pages.
    private static func pages(_ database: MySQLDatabase) async throws -> (dirty: Int64, total: Int64) {
        let pages = try await globalStatus(
            database, "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_buffer_pool_pages_dirty', 'Innodb_buffer_pool_pages_total')")
        return (pages["innodb_buffer_pool_pages_dirty"] ?? 0, max(pages["innodb_buffer_pool_pages_total"] ?? 1, 1))
    }
    #endif
}

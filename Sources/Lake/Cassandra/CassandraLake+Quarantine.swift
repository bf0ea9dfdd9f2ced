import CQLClient
import JobPulseClock
import JobPulseCore

extension CassandraLake {
    /// The newest rejected rows and how many there are, walking the quarantine's day partitions
    /// from tomorrow (a writer's clock may run ahead) back to the lake's first day: one count per
    /// day, and the rows of the newest days until `limit`. A row's `id` is its rank in arrival
    /// order (1 for the first row ever rejected).
    public func quarantine(limit: Int) async throws -> (rows: [QuarantinedRow], total: Int) {
        let millisecondsPerDay: Int64 = 86_400_000
        let newestDay = TimeUUID.floorDivide(clock.now, millisecondsPerDay) + 1
        let firstDay = TimeUUID.floorDivide(firstBucket * 1000, millisecondsPerDay)
        var found: [(receivedAt: Int64, rejection: Rejection)] = []
        var total = 0
        let options = CQLQueryOptions(consistency: configuration.consistency, isIdempotent: true)
        for day in stride(from: newestDay, through: firstDay, by: -1) {
            let dayValue = Self.dayValue(day)
            let action = "reading day \(Timestamp.iso8601(day * millisecondsPerDay).prefix(10)) of \(schema.quarantine)"
            let counted: Int
            do {
                let rows = try await session.executePage(statements.countRejections, [dayValue], options: options)
                counted = Int(try rows.rows.first?.decode(Int64.self, at: 0) ?? 0)
                if counted > 0, found.count < limit {
                    var pageOptions = options
                    pageOptions.pageSize = Int32(clamping: min(configuration.pageSize, limit - found.count))
                    let values = [dayValue, .int(Int32(clamping: limit - found.count))]
                    for try await row in session.executePages(statements.selectRejections, values, options: pageOptions).rows {
                        found.append(try rejection(from: row))
                    }
                }
            } catch let error as CassandraLakeError {
                throw error
            } catch {
                throw CassandraLakeError.statementFailed(action: action, underlying: error)
            }
            total += counted
        }
        let rows = found.enumerated().map { index, entry in
            QuarantinedRow(id: Int64(total - index), receivedAt: entry.receivedAt, rejection: entry.rejection)
        }
        return (rows, total)
    }

    private func rejection(from row: CQLRow) throws -> (receivedAt: Int64, rejection: Rejection) {
        guard case .timestamp(let receivedAt) = row["received_at"] else {
            throw CassandraLakeError.malformedRow(table: schema.quarantine, reason: "received_at holds \(row["received_at"] ?? .null)")
        }
        do {
            let rejection = Rejection(
                origin: try row.decode(String.self, column: "origin"),
                location: Int(try row.decode(Int64.self, column: "location")),
                reason: try row.decode(String.self, column: "reason"),
                raw: try row.decode(String.self, column: "raw")
            )
            return (receivedAt, rejection)
        } catch {
            throw CassandraLakeError.malformedRow(table: schema.quarantine, reason: "\(error)")
        }
    }
}

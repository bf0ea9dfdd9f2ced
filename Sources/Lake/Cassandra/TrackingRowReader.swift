import CQLClient
import JobPulseCore

/// Reads the columns of a `tracking` row as the lake's selects return them. A row that does not
/// have the shape the lake writes is an error naming the table, the bucket and, once it is
/// known, the event's `ingest_id`.
struct TrackingRowReader {
    /// The qualified table name, for errors.
    let table: String
    let bucket: Int64

    func expect(_ values: [CQLValue], columns: Int) throws {
        guard values.count == columns else {
            throw CassandraLakeError.malformedRow(table: table, reason: "bucket \(bucket): \(values.count) columns instead of \(columns)")
        }
    }

    func ingestID(_ value: CQLValue) throws -> TimeUUID {
        guard case .timeuuid(let uuid) = value, let id = TimeUUID(uuid) else {
            throw CassandraLakeError.malformedRow(table: table, reason: "bucket \(bucket): ingest_id is \(value), not a timeuuid")
        }
        return id
    }

    /// The raw event in `values`: the 29 fields, then `extra`.
    func rawEvent(_ values: ArraySlice<CQLValue>, id: TimeUUID) throws -> RawEvent {
        guard values.count == TrackingField.count + 1 else {
            throw CassandraLakeError.malformedRow(table: table, reason: "bucket \(bucket), ingest_id \(id): \(values.count) raw columns")
        }
        var fields: [String?] = []
        fields.reserveCapacity(TrackingField.count)
        for (offset, name) in TrackingField.columnNames.enumerated() {
            switch values[values.startIndex + offset] {
            case .null: fields.append(nil)
            case .text(let text), .ascii(let text): fields.append(text)
            case let other: throw malformed(id, column: name, holds: other)
            }
        }
        let extraValue = values[values.startIndex + TrackingField.count]
        var extra: [String: String] = [:]
        switch extraValue {
        case .null: break
        case .map(let entries):
            for entry in entries {
                guard case .text(let name) = entry.key, case .text(let value) = entry.value else { throw malformed(id, column: "extra", holds: extraValue) }
                extra[name] = value
            }
        case let other: throw malformed(id, column: "extra", holds: other)
        }
        return RawEvent(values: fields, extra: extra)
    }

    func malformed(_ id: TimeUUID, column: String, holds value: CQLValue) -> CassandraLakeError {
        .malformedRow(table: table, reason: "bucket \(bucket), ingest_id \(id): \(column) holds \(value)")
    }
}

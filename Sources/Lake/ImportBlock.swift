import JobPulseCore

/// Consecutive rows of a tracking file as the CSV reader gave them, on their way to admission.
///
/// The reader fills blocks in file order and each block is admitted on a task of its own, so
/// building events and reading `ts` happen on every core while the reader goes on scanning.
struct ImportBlock: Sendable {
    typealias Row = Result<CSVParser.Record, CSVParser.Failure>

    private(set) var rows: [Row] = []
    /// The bytes of the rows' text, so that blocks and transactions can be bounded in memory
    /// rather than only in rows (a record may be up to 1 MiB).
    private(set) var bytes = 0
    /// How far into the file the reader was when the block was closed, for progress.
    var bytesRead: Int64 = 0

    mutating func append(_ row: Row) {
        rows.append(row)
        switch row {
        case .success(let record): bytes += record.fields.reduce(0) { $0 + $1.utf8.count }
        case .failure(let failure): bytes += failure.text.utf8.count
        }
    }

    /// The rows sorted into accepted events and rejections, each in file order, exactly as a
    /// single ``IntakeBatch`` fed row by row would sort them.
    func admit(layout: TrackingCSVLayout, origin: String, futureTolerance: Int64) -> AdmittedBlock {
        var batch = IntakeBatch(origin: origin, futureTolerance: futureTolerance)
        for row in rows {
            switch row {
            case .failure(let failure): batch.reject(location: failure.line, reason: failure.reason, raw: failure.text)
            case .success(let record): batch.admit(fields: record.fields, layout: layout, location: record.line)
            }
        }
        return AdmittedBlock(events: batch.events, rejections: batch.rejections, bytes: bytes, bytesRead: bytesRead)
    }
}

/// A block after admission.
struct AdmittedBlock: Sendable {
    var events: [AdmittedEvent]
    var rejections: [Rejection]
    var bytes: Int
    var bytesRead: Int64
}

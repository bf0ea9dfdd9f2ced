/// A streaming RFC 4180 reader: bytes go in as they are read, whole records come out, so a file
/// of any size is read in bounded memory.
///
/// Quoted fields may hold commas, doubled quotes and line breaks; a backslash is an ordinary
/// character. Records end at `\n` or `\r\n`. A record that cannot be read (a quote left open at
/// the end of the input, or a record longer than `maxRecordBytes`) is reported with its line,
/// and reading resumes on the line after the one where that record began, so one bad quote
/// costs one row, not the rest of the file. A record of more than `maxFields` fields is
/// refused the same way: a line of commas must not become a million strings.
///
/// The work is linear in the input however it is cut into chunks: a record that needs more
/// input keeps its scan and resumes where it stopped, rather than scanning again from its start.
/// Where a record ends, and whether it is too long, depends only on the bytes, not on the chunks.
///
/// Retrying on the next line must not make failures quadratic either: in a file like
/// `"` followed by lines of `a","`, the record of every line joins the same open quote and would
/// scan to the end again. A failed record is in quotes at each of its line breaks, and two scans
/// in quotes at the same byte go on alike, so a record that reaches one of those line breaks in
/// quotes fails with it, at once, for the same reason. For `not closed` that is exactly what a
/// full scan would find; after a byte or field limit, the later record is refused as part of
/// the same open quote even if it might have closed within its own limits.
public struct CSVParser: Sendable {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// The 1-based line on which the record starts.
        public var line: Int
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        /// The text of the line the record started on, to keep with the rejection.
        public var text: String
        public var description: String { "line \(line): \(reason)" }
    }

    public let maxRecordBytes: Int
    public let maxFields: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var line = 1
    private var finished = false
    /// Set after a failed record whose first line has not fully arrived yet.
    private var skippingToLineEnd = false
    /// The scan of the record at `start`, kept when it stopped for more input.
    private var scan = ScanState()
    /// The last record that failed by scanning: where it started and where its scan stopped
    /// (buffer indices), and why.
    private var failed: (start: Int, reach: Int, reason: String)?

    /// `maxFields`: the tracking log has 29 columns; 1,024 leaves room for any extra ones.
    public init(maxRecordBytes: Int = 1 << 20, maxFields: Int = 1024) {
        self.maxRecordBytes = maxRecordBytes
        self.maxFields = maxFields
    }

    /// Adds input. Call ``finish()`` after the last chunk.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            if scan.begun { scan.index -= start }
            if let known = failed { failed = known.reach > start ? (known.start - start, known.reach - start, known.reason) : nil }
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Declares the end of the input: the last record no longer needs a line break.
    public mutating func finish() { finished = true }

    /// The next record, a failure for a record that cannot be read, or `nil` when more input is
    /// needed (or, after ``finish()``, when the input is exhausted).
    public mutating func next() -> Result<Record, Failure>? {
        if skippingToLineEnd {
            guard let lineEnd = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                start = buffer.count
                return nil
            }
            start = lineEnd + 1
            skippingToLineEnd = false
        }
        while start < buffer.count {
            var state = scan
            scan = ScanState()  // so that `state` alone holds its arrays and appends in place
            let result = scanRecord(&state)
            if case .needMore = result { scan = state }
            switch result {
            case .needMore:
                if !finished { return nil }
                let reason = "quoted field is not closed before the end of the file"
                failed = (start, buffer.count, reason)
                return .failure(skipFailedRecord(reason: reason))
            case .tooLong(let reach):
                let reason = "record longer than \(maxRecordBytes) bytes (a quote left open?)"
                failed = (start, reach, reason)
                return .failure(skipFailedRecord(reason: reason))
            case .tooManyFields(let reach):
                let reason = "record has more than \(maxFields) fields"
                failed = (start, reach, reason)
                return .failure(skipFailedRecord(reason: reason))
            case .joinsFailed(let reason):
                return .failure(skipFailedRecord(reason: reason))
            case .blank(let end):
                start = end
                line += 1
            case .record(let fields, let end, let lines):
                let record = Record(fields: fields, line: line)
                start = end
                line += lines
                return .success(record)
            }
        }
        return nil
    }

    private enum Scan {
        case needMore
        /// Stopped at `reach`, past the byte limit.
        case tooLong(reach: Int)
        /// In quotes at a line break of the last failed record, so failing as it did.
        case joinsFailed(reason: String)
        /// Stopped at `reach`, at a field past the limit.
        case tooManyFields(reach: Int)
        case blank(end: Int)
        case record(fields: [String], end: Int, lines: Int)
    }

    /// Where the scan of the record at `start` stopped.
    private struct ScanState: Sendable {
        var begun = false
        var fields: [String] = []
        var field: [UInt8] = []
        var index = 0
        var lines = 1
        var inQuotes = false
        var fieldWasQuoted = false
    }

    /// Scans the record at `start` from where `s` stopped; `.needMore` leaves `s` ready to resume.
    private func scanRecord(_ s: inout ScanState) -> Scan {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let count = buffer.count
        if !s.begun {
            if buffer[start] == lf { return .blank(end: start + 1) }
            if buffer[start] == cr, start + 1 < count, buffer[start + 1] == lf { return .blank(end: start + 2) }
            if buffer[start] == cr, start + 1 == count, !finished { return .needMore }
            s = ScanState(begun: true, index: start)
        }
        while s.index < count {
            if s.index - start > maxRecordBytes { return .tooLong(reach: s.index) }
            let c = buffer[s.index]
            if s.inQuotes {
                if c == quote {
                    if s.index + 1 < count {
                        if buffer[s.index + 1] == quote {
                            s.field.append(quote)
                            s.index += 2
                            continue
                        }
                        s.inQuotes = false
                        s.index += 1
                        continue
                    }
                    if !finished { return .needMore }
                    s.inQuotes = false
                    s.index += 1
                    continue
                }
                if c == lf {
                    if let failed, failed.start < s.index, s.index < failed.reach { return .joinsFailed(reason: failed.reason) }
                    s.lines += 1
                }
                s.field.append(c)
                s.index += 1
                continue
            }
            switch c {
            case comma:
                guard s.fields.count + 1 < maxFields else { return .tooManyFields(reach: s.index) }
                s.fields.append(String(decoding: s.field, as: UTF8.self))
                s.field.removeAll(keepingCapacity: true)
                s.fieldWasQuoted = false
                s.index += 1
            case lf:
                if !s.fieldWasQuoted, s.field.last == cr { s.field.removeLast() }
                s.fields.append(String(decoding: s.field, as: UTF8.self))
                return .record(fields: s.fields, end: s.index + 1, lines: s.lines)
            case cr where s.fieldWasQuoted && s.index + 1 == count && !finished:
                return .needMore  // whether a line break follows decides what the \r is
            case cr where s.fieldWasQuoted && s.index + 1 < count && buffer[s.index + 1] == lf:
                s.index += 1
            case quote where s.field.isEmpty && !s.fieldWasQuoted:
                s.inQuotes = true
                s.fieldWasQuoted = true
                s.index += 1
            default:
                s.field.append(c)
                s.index += 1
            }
        }
        if s.inQuotes || !finished { return .needMore }
        s.fields.append(String(decoding: s.field, as: UTF8.self))
        return .record(fields: s.fields, end: count, lines: s.lines)
    }

    /// Reports the record starting at `start` as unreadable and moves past its first line.
    private mutating func skipFailedRecord(reason: String) -> Failure {
        scan = ScanState()
        let lineEnd = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) ?? buffer.count
        var text = String(decoding: buffer[start..<lineEnd], as: UTF8.self)
        if text.hasSuffix("\r") { text.removeLast() }
        let failure = Failure(line: line, reason: reason, text: text)
        start = min(lineEnd + 1, buffer.count)
        skippingToLineEnd = lineEnd == buffer.count && !finished
        line += 1
        return failure
    }
}

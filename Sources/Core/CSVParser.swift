/// A streaming RFC 4180 reader: bytes go in as they are read, whole records come out, so a file
/// of any size is read in bounded memory.
///
/// Quoted fields may hold commas, doubled quotes and line breaks; a backslash is an ordinary
/// character. Records end at `\n` or `\r\n`. A record that cannot be read (a quote left open at
/// the end of the input, or a record longer than `maxRecordBytes`) is reported with its line,
/// and reading resumes on the line after the one where that record began, so one bad quote
/// costs one row, not the rest of the file.
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
    private var buffer: [UInt8] = []
    private var start = 0
    private var line = 1
    private var finished = false
    /// Set after a failed record whose first line has not fully arrived yet.
    private var skippingToLineEnd = false

    public init(maxRecordBytes: Int = 1 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    /// Adds input. Call ``finish()`` after the last chunk.
    public mutating func feed(_ bytes: some Sequence<UInt8>) {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
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
            switch scanRecord() {
            case .needMore:
                if buffer.count - start > maxRecordBytes {
                    return .failure(skipFailedRecord(reason: "record longer than \(maxRecordBytes) bytes (a quote left open?)"))
                }
                if !finished { return nil }
                return .failure(skipFailedRecord(reason: "quoted field is not closed before the end of the file"))
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
        case blank(end: Int)
        case record(fields: [String], end: Int, lines: Int)
    }

    private func scanRecord() -> Scan {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var fields: [String] = []
        var field: [UInt8] = []
        var i = start
        var lines = 1
        var inQuotes = false
        var fieldWasQuoted = false
        let count = buffer.count
        if buffer[i] == lf { return .blank(end: i + 1) }
        if buffer[i] == cr, i + 1 < count, buffer[i + 1] == lf { return .blank(end: i + 2) }
        while i < count {
            let c = buffer[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < count {
                        if buffer[i + 1] == quote {
                            field.append(quote)
                            i += 2
                            continue
                        }
                        inQuotes = false
                        i += 1
                        continue
                    }
                    if !finished { return .needMore }
                    inQuotes = false
                    i += 1
                    continue
                }
                if c == lf { lines += 1 }
                field.append(c)
                i += 1
                continue
            }
            switch c {
            case comma:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                fieldWasQuoted = false
                i += 1
            case lf:
                if !fieldWasQuoted, field.last == cr { field.removeLast() }
                fields.append(String(decoding: field, as: UTF8.self))
                return .record(fields: fields, end: i + 1, lines: lines)
            case cr where fieldWasQuoted && i + 1 < count && buffer[i + 1] == lf:
                i += 1
            case quote where field.isEmpty && !fieldWasQuoted:
                inQuotes = true
                fieldWasQuoted = true
                i += 1
            default:
                field.append(c)
                i += 1
            }
        }
        if inQuotes || !finished { return .needMore }
        fields.append(String(decoding: field, as: UTF8.self))
        return .record(fields: fields, end: count, lines: lines)
    }

    /// Reports the record starting at `start` as unreadable and moves past its first line.
    private mutating func skipFailedRecord(reason: String) -> Failure {
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

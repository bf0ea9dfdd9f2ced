/// Reads the events of a collector request body (`POST /v1/events`): a JSON array, or NDJSON
/// (one object per line). Field names are the tracking log's (`job_id`, `custom_track`, `ed`, …);
/// others are kept as extra fields. A nested value (an `ed` sent as an object) is kept as its
/// JSON text.
///
/// It lives in Core, apart from the server, so that it can be fuzzed on its own. Every limit of
/// ``FlatJSON`` holds; an NDJSON line is one event, so a line that breaks a limit (nesting, or
/// ``maxLineBytes``) rejects that line only, never the body.
public enum IntakeBody {
    public enum Format: Sendable, Equatable {
        case jsonArray, ndjson

        /// The format a `Content-Type` names, parameters (`; charset=utf-8`) ignored; `nil` for
        /// any other media type.
        public init?(contentType: String?) {
            guard let contentType else { return nil }
            let mediaType = contentType.split(separator: ";", omittingEmptySubsequences: false).first ?? ""
            switch Self.trimmed(mediaType).lowercased() {
            case "application/json": self = .jsonArray
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
            default: return nil
            }
        }

        private static func trimmed(_ text: Substring) -> Substring {
            var text = text
            while let c = text.first, c == " " || c == "\t" { text.removeFirst() }
            while let c = text.last, c == " " || c == "\t" { text.removeLast() }
            return text
        }
    }

    /// The longest NDJSON line read, in bytes: the CSV reader's limit for one record, so that
    /// one event costs at most the same by either door. (A JSON array is bounded by the body
    /// limit as a whole.)
    public static let maxLineBytes = 1 << 20

    /// One element of the body: an event, or why it is not one.
    public typealias Element = Result<RawEvent, FlatJSON.SyntaxError>

    /// The elements, or the reason the body cannot be read at all.
    public static func read(_ bytes: [UInt8], format: Format) throws(FlatJSON.SyntaxError) -> [Element] {
        switch format {
        case .jsonArray:
            guard bytes.contains(where: { !isSpace($0) }) else {
                throw FlatJSON.SyntaxError(offset: 0, reason: "the body is empty")
            }
            return try FlatJSON.arrayOfObjects(bytes).map { $0.map(event) }
        case .ndjson:
            var elements: [Element] = []
            var lineStart = 0
            for lineEnd in bytes.indices where bytes[lineEnd] == 10 {
                if let element = line(bytes, lineStart..<lineEnd) { elements.append(element) }
                lineStart = lineEnd + 1
            }
            if let element = line(bytes, lineStart..<bytes.count) { elements.append(element) }
            return elements
        }
    }

    /// One NDJSON line as an element; `nil` for a blank line, which holds no event. Offsets in
    /// its errors count from the start of the line.
    private static func line(_ bytes: [UInt8], _ range: Range<Int>) -> Element? {
        let line = bytes[range]
        guard line.contains(where: { !isSpace($0) }) else { return nil }
        guard line.count <= maxLineBytes else {
            return .failure(FlatJSON.SyntaxError(offset: 0, reason: "line longer than \(maxLineBytes) bytes"))
        }
        return Result { () throws(FlatJSON.SyntaxError) in try FlatJSON.object(line, keeping: nil) }.map(event)
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 10 || byte == 13 || byte == 9 }

    /// The raw event of a JSON object's members.
    public static func event(_ members: FlatJSON.Members) -> RawEvent {
        var event = RawEvent()
        for (name, value) in members {
            if let field = TrackingField(columnName: name) {
                event[field] = value.fieldText
            } else if let text = value.fieldText {
                event.extra[name] = text
            }
        }
        return event
    }
}

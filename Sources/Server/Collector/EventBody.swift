import JobPulseCore

/// Reads the events of a `POST /v1/events` body: a JSON array, or NDJSON (one object per line).
/// Field names are the tracking log's (`job_id`, `custom_track`, `ed`, …); others are kept as
/// extra fields. A nested value (an `ed` sent as an object) is kept as its JSON text.
enum EventBody {
    enum Format {
        case jsonArray, ndjson

        init?(contentType: String?) {
            let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            switch mediaType {
            case "application/json": self = .jsonArray
            case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines": self = .ndjson
            default: return nil
            }
        }
    }

    /// One element of the body: an event, or why it is not one.
    typealias Element = Result<RawEvent, FlatJSON.SyntaxError>

    /// The elements, or the reason the body cannot be read at all.
    static func read(_ bytes: [UInt8], format: Format) throws(FlatJSON.SyntaxError) -> [Element] {
        switch format {
        case .jsonArray:
            guard bytes.contains(where: { $0 != 32 && $0 != 10 && $0 != 13 && $0 != 9 }) else {
                throw FlatJSON.SyntaxError(offset: 0, reason: "the body is empty")
            }
            return try FlatJSON.arrayOfObjects(bytes).map { $0.map(event) }
        case .ndjson:
            return bytes.split(separator: 10, omittingEmptySubsequences: true)
                .filter { line in line.contains(where: { $0 != 32 && $0 != 13 && $0 != 9 }) }
                .map { line in
                    Result { () throws(FlatJSON.SyntaxError) in try FlatJSON.object(Array(line)) }.map(event)
                }
        }
    }

    static func event(_ members: FlatJSON.Members) -> RawEvent {
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

    /// An event as JSON, for the quarantine.
    static func json(_ event: RawEvent) -> String {
        var members: [(String, JSONValue)] = []
        for field in TrackingField.allCases { if let value = event[field] { members.append((field.rawValue, .string(value))) } }
        for (name, value) in event.extra.sorted(by: { $0.key < $1.key }) { members.append((name, .string(value))) }
        return JSONValue.object(members).text
    }
}

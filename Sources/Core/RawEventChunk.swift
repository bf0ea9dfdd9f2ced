/// Consecutive raw events encoded as one record, column by column: every event's first field,
/// then every event's second field, and so on, then the extra fields. Values of one column look
/// alike (the same kinds, ids, user agents, URLs), so laid out together they compress several
/// times better than rows do. The lake compresses the encoded bytes; this type knows nothing of
/// compression.
///
/// Layout, every integer an unsigned LEB128 varint:
///
///     version (1) · event count
///     for each of the 29 fields, for each event: 0 (absent) or length + 1, then the UTF-8 bytes
///     for each event: number of extra fields, then for each: name length, name, value length, value
///
/// Decoding is bounded by its input: every length is checked against the bytes that remain,
/// so a damaged record is an error, never a crash or an allocation larger than the record.
public enum RawEventChunk {
    public static let version: UInt8 = 1
    /// The most events a chunk holds: enough for compression to pay, few enough that reading one
    /// event decodes little else.
    public static let maxEvents = 4_096

    public struct DecodingError: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        public var reason: String
        public var description: String { "raw event chunk damaged at byte \(offset): \(reason)" }
    }

    public static func encode(_ events: [RawEvent]) -> [UInt8] {
        // Each event is visited once and its fields appended to one buffer per column, which are
        // then joined: visiting the events once per column instead costs a retain and release
        // of every event's fields 29 times, the largest cost of encoding.
        var columns = [[UInt8]](repeating: [], count: TrackingField.count)
        var extras: [UInt8] = []
        for index in events.indices {
            let values = events[index].values
            for field in 0..<TrackingField.count {
                guard let value = values[field] else {
                    columns[field].append(0)
                    continue
                }
                appendVarint(UInt64(value.utf8.count) + 1, to: &columns[field])
                columns[field].append(contentsOf: value.utf8)
            }
            let extra = events[index].extra
            appendVarint(UInt64(extra.count), to: &extras)
            for (name, value) in extra.sorted(by: { $0.key < $1.key }) {
                appendVarint(UInt64(name.utf8.count), to: &extras)
                extras.append(contentsOf: name.utf8)
                appendVarint(UInt64(value.utf8.count), to: &extras)
                extras.append(contentsOf: value.utf8)
            }
        }
        var bytes: [UInt8] = [version]
        bytes.reserveCapacity(columns.reduce(extras.count + 10) { $0 + $1.count })
        appendVarint(UInt64(events.count), to: &bytes)
        for column in columns { bytes.append(contentsOf: column) }
        bytes.append(contentsOf: extras)
        return bytes
    }

    public static func decode(_ bytes: some Collection<UInt8>) throws(DecodingError) -> [RawEvent] {
        var reader = Reader(bytes: Array(bytes))
        let found = try reader.byte()
        guard found == version else { throw DecodingError(offset: 0, reason: "version \(found), expected \(version)") }
        let count = try reader.length(upTo: maxEvents, what: "event count")
        var columns = [[String?]](repeating: [String?](repeating: nil, count: count), count: TrackingField.count)
        for field in 0..<TrackingField.count {
            for event in 0..<count {
                let marker = try reader.length(upTo: reader.remaining + 1, what: "length of \(TrackingField.allCases[field].rawValue)")
                if marker > 0 { columns[field][event] = try reader.text(count: marker - 1) }
            }
        }
        var events: [RawEvent] = []
        events.reserveCapacity(count)
        for event in 0..<count {
            // Each extra field takes at least two bytes, which bounds the loop by the input.
            let extras = try reader.length(upTo: reader.remaining / 2, what: "extra field count")
            var extra: [String: String] = [:]
            for _ in 0..<extras {
                let name = try reader.text(count: try reader.length(upTo: reader.remaining, what: "extra field name"))
                extra[name] = try reader.text(count: try reader.length(upTo: reader.remaining, what: "extra field value"))
            }
            events.append(RawEvent(values: columns.map { $0[event] }, extra: extra))
        }
        guard reader.remaining == 0 else { throw DecodingError(offset: reader.offset, reason: "\(reader.remaining) bytes after the last event") }
        return events
    }

    /// Appends `value` as the format's varint (tests build damaged chunks with it).
    public static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var remaining: Int { bytes.count - offset }

        mutating func byte() throws(DecodingError) -> UInt8 {
            guard offset < bytes.count else { throw DecodingError(offset: offset, reason: "ends early") }
            defer { offset += 1 }
            return bytes[offset]
        }

        /// A varint of at most 9 bytes, no greater than `limit`.
        mutating func length(upTo limit: Int, what: String) throws(DecodingError) -> Int {
            let start = offset
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 63, by: 7) {
                let byte = try byte()
                value |= UInt64(byte & 0x7F) << UInt64(shift)
                if byte < 0x80 {
                    guard value <= UInt64(max(0, limit)) else {
                        throw DecodingError(offset: start, reason: "\(what) \(value) exceeds \(max(0, limit))")
                    }
                    return Int(value)
                }
            }
            throw DecodingError(offset: start, reason: "\(what) is not a varint")
        }

        mutating func text(count: Int) throws(DecodingError) -> String {
            guard count <= remaining else { throw DecodingError(offset: offset, reason: "a value of \(count) bytes, \(remaining) left") }
            defer { offset += count }
            return String(decoding: bytes[offset..<offset + count], as: UTF8.self)
        }
    }
}

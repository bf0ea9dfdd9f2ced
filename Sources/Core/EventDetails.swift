/// The `ed` field: a JSON object written by the browser tracker, e.g.
/// `{"customEvent":"click","jobId":"191","publisherId":0}`.
///
/// Only its top-level scalar members matter to the rules, so this reader keeps those and skips
/// nested values. Anything that is not a JSON object reads as empty: a broken `ed` never rejects
/// an event, it just tells nothing.
public struct EventDetails: Sendable, Equatable {
    /// A top-level member's value. Numbers keep their literal text so that `191` and `191.0`
    /// stay distinguishable.
    public enum Value: Sendable, Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        case composite
    }

    public private(set) var members: [String: Value] = [:]

    public init(members: [String: Value] = [:]) { self.members = members }

    public init(json: String?) {
        guard let json, !json.isEmpty else { return }
        var parser = Parser(bytes: Array(json.utf8))
        members = parser.parseTopLevelObject() ?? [:]
    }

    public subscript(key: String) -> Value? { members[key] }

    /// The member as text: a string's contents or a number's literal.
    public func text(_ key: String) -> String? {
        switch members[key] {
        case .string(let s): s
        case .number(let n): n
        default: nil
        }
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func parseTopLevelObject() -> [String: Value]? {
            skipSpace()
            guard let object = parseObject(keep: true) else { return nil }
            skipSpace()
            return i == bytes.count ? object : nil
        }

        mutating func skipSpace() {
            while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 || bytes[i] == 10 || bytes[i] == 13 { i += 1 }
        }

        mutating func parseObject(keep: Bool) -> [String: Value]? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            i += 1
            var result: [String: Value] = [:]
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return result }
            while true {
                skipSpace()
                guard let key = parseString() else { return nil }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { return nil }
                i += 1
                skipSpace()
                guard let value = parseValue() else { return nil }
                if keep { result[key] = value }
                skipSpace()
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return result }
                return nil
            }
        }

        mutating func parseArray() -> Bool {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return false }
            i += 1
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return true }
            while true {
                skipSpace()
                guard parseValue() != nil else { return false }
                skipSpace()
                guard i < bytes.count else { return false }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return true }
                return false
            }
        }

        mutating func parseValue() -> Value? {
            guard i < bytes.count else { return nil }
            switch bytes[i] {
            case UInt8(ascii: "\""): return parseString().map(Value.string)
            case UInt8(ascii: "{"): return parseObject(keep: false).map { _ in .composite }
            case UInt8(ascii: "["): return parseArray() ? .composite : nil
            case UInt8(ascii: "t"): return literal("true") ? .bool(true) : nil
            case UInt8(ascii: "f"): return literal("false") ? .bool(false) : nil
            case UInt8(ascii: "n"): return literal("null") ? .null : nil
            default: return parseNumber().map(Value.number)
            }
        }

        mutating func literal(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard i + count <= bytes.count else { return false }
            for k in 0..<count where bytes[i + k] != word.utf8Start[k] { return false }
            i += count
            return true
        }

        mutating func parseNumber() -> String? {
            let start = i
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
            while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".")
                || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")
                || bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i > start else { return nil }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        mutating func parseString() -> String? {
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            var out: [UInt8] = []
            while i < bytes.count {
                let c = bytes[i]
                if c == UInt8(ascii: "\"") { i += 1; return String(decoding: out, as: UTF8.self) }
                if c == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { return nil }
                    switch bytes[i] {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"):
                        guard let scalar = parseUnicodeEscape() else { return nil }
                        out.append(contentsOf: Array(String(Character(scalar)).utf8))
                        continue
                    default: out.append(bytes[i])
                    }
                    i += 1
                } else {
                    out.append(c)
                    i += 1
                }
            }
            return nil
        }

        /// Reads `uXXXX` (and a following low surrogate) after a backslash.
        mutating func parseUnicodeEscape() -> Unicode.Scalar? {
            guard let high = hex4(at: i + 1) else { return nil }
            i += 5
            if (0xD800...0xDBFF).contains(high), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
               bytes[i + 1] == UInt8(ascii: "u"), let low = hex4(at: i + 2), (0xDC00...0xDFFF).contains(low) {
                i += 6
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }

        func hex4(at start: Int) -> UInt32? {
            guard start + 4 <= bytes.count else { return nil }
            var value: UInt32 = 0
            for k in start..<(start + 4) {
                guard let digit = Character(Unicode.Scalar(bytes[k])).hexDigitValue else { return nil }
                value = value * 16 + UInt32(digit)
            }
            return value
        }
    }
}

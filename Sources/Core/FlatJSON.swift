/// A small JSON reader for flat records: the members of an object, each a scalar (strings
/// unescaped, numbers as their literal text) or, for nested objects and arrays, their exact
/// source text. That is all that tracking events need, and it keeps `ed` as it came.
///
/// Every input is read in time linear in its length and in constant stack: nested values are
/// skipped with a bracket count, never by recursion, so no body or `ed` can overflow the stack.
public enum FlatJSON {
    /// The deepest nesting read: the outermost object or array is level 1. A tracking event
    /// needs two (the event, its `ed`) and a body array three; 32 leaves room for any real
    /// sender, and keeps the bracket kinds of a skipped value in one 64-bit word.
    public static let maxDepth = 32

    public enum Value: Sendable, Equatable {
        case string(String)
        case number(String)
        case bool(Bool)
        case null
        /// A nested object or array, as its source text.
        case composite(String)

        /// The value as a lake field: text for scalars, source text for composites, `nil` for null.
        public var fieldText: String? {
            switch self {
            case .string(let s): s
            case .number(let n): n
            case .bool(let b): b ? "true" : "false"
            case .null: nil
            case .composite(let raw): raw
            }
        }
    }

    public struct SyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Byte offset where reading stopped.
        public var offset: Int
        public var reason: String
        public var description: String { "\(reason) at byte \(offset)" }

        public init(offset: Int, reason: String) {
            self.offset = offset
            self.reason = reason
        }
    }

    public typealias Members = [(name: String, value: Value)]

    /// The members of the one object `text` holds.
    public static func object(_ bytes: [UInt8]) throws(SyntaxError) -> Members {
        try object(bytes, keeping: nil)
    }

    /// The members named in `names` of the one object `bytes` holds; the others are checked
    /// but not kept, which costs no allocation.
    public static func object(_ bytes: some Collection<UInt8>, keeping names: Set<String>?) throws(SyntaxError) -> Members {
        let result: Result<Members, SyntaxError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SyntaxError) in
                var reader = Reader(bytes: buffer)
                reader.skipSpace()
                let members = try reader.object(keeping: names)
                reader.skipSpace()
                guard reader.atEnd else { throw reader.error("unexpected text after the object") }
                return members
            }
        }
        if let result { return try result.get() }
        return try object(Array(bytes), keeping: names)
    }

    /// The elements of a top-level array: objects as their members, anything else as the
    /// reason it is not an event. A syntax error anywhere makes the whole text unreadable.
    public static func arrayOfObjects(_ bytes: [UInt8]) throws(SyntaxError) -> [Result<Members, SyntaxError>] {
        let result = bytes.withUnsafeBufferPointer { buffer in
            Result { () throws(SyntaxError) in try arrayOfObjects(buffer) }
        }
        return try result.get()
    }

    static func arrayOfObjects(_ bytes: UnsafeBufferPointer<UInt8>) throws(SyntaxError) -> [Result<Members, SyntaxError>] {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        guard reader.peek == UInt8(ascii: "[") else { throw reader.error("expected a JSON array") }
        reader.index += 1
        reader.depth = 1
        var elements: [Result<Members, SyntaxError>] = []
        reader.skipSpace()
        if reader.peek == UInt8(ascii: "]") {
            reader.index += 1
        } else {
            while true {
                reader.skipSpace()
                if reader.peek == UInt8(ascii: "{") {
                    elements.append(.success(try reader.object(keeping: nil)))
                } else {
                    let start = reader.index
                    try reader.skipValue()
                    elements.append(.failure(SyntaxError(offset: start, reason: "element is not a JSON object")))
                }
                reader.skipSpace()
                if reader.peek == UInt8(ascii: ",") {
                    reader.index += 1
                    continue
                }
                if reader.peek == UInt8(ascii: "]") {
                    reader.index += 1
                    break
                }
                throw reader.error("expected , or ] in the array")
            }
        }
        reader.skipSpace()
        guard reader.atEnd else { throw reader.error("unexpected text after the array") }
        return elements
    }

    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Objects and arrays open around `index`.
        var depth = 0

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        func error(_ reason: String) -> SyntaxError { SyntaxError(offset: index, reason: reason) }

        mutating func skipSpace() {
            while let c = peek, c == 32 || c == 9 || c == 10 || c == 13 { index += 1 }
        }

        func tooDeep() -> SyntaxError { error("nesting deeper than \(FlatJSON.maxDepth) levels") }

        mutating func object(keeping names: Set<String>?) throws(SyntaxError) -> Members {
            guard peek == UInt8(ascii: "{") else { throw error("expected an object") }
            guard depth < FlatJSON.maxDepth else { throw tooDeep() }
            index += 1
            depth += 1
            defer { depth -= 1 }
            var members: Members = []
            skipSpace()
            if peek == UInt8(ascii: "}") {
                index += 1
                return members
            }
            while true {
                skipSpace()
                let name = try string()
                skipSpace()
                guard peek == UInt8(ascii: ":") else { throw error("expected : after a member name") }
                index += 1
                skipSpace()
                if names?.contains(name) ?? true {
                    members.append((name, try value()))
                } else {
                    try skipValue()
                }
                skipSpace()
                if peek == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if peek == UInt8(ascii: "}") {
                    index += 1
                    return members
                }
                throw error("expected , or } in an object")
            }
        }

        mutating func value() throws(SyntaxError) -> Value {
            guard let c = peek else { throw error("unexpected end of the text") }
            switch c {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let start = index
                try skipComposite()
                return .composite(String(decoding: bytes[start..<index], as: UTF8.self))
            case UInt8(ascii: "t"):
                try literal("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try literal("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try literal("null")
                return .null
            default: return .number(try number())
            }
        }

        /// Checks a value and moves past it without keeping anything.
        mutating func skipValue() throws(SyntaxError) {
            switch peek {
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["): try skipComposite()
            default: _ = try value()
            }
        }

        mutating func skipString() throws(SyntaxError) {
            index += 1
            while let c = peek {
                index += 1
                switch c {
                case UInt8(ascii: "\""): return
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { throw error("string is not closed") }
                    index += 1
                    if escaped == UInt8(ascii: "u") {
                        _ = try hex4()
                    } else if !"ntrbf\"\\/".utf8.contains(escaped) {
                        throw error("invalid escape")
                    }
                case 0..<32: throw error("control character in a string")
                default: break
                }
            }
            throw error("string is not closed")
        }

        /// Checks the object or array at `index` and moves past it, iteratively: the only state is
        /// one bit per open bracket (object or array), so the stack stays flat and the work linear
        /// whatever the input.
        mutating func skipComposite() throws(SyntaxError) {
            var open = 0  // brackets opened here and not yet closed
            var objects: UInt64 = 0  // bit k: the k-th of them is an object
            func isObject(_ level: Int) -> Bool { objects & (1 << UInt64(level)) != 0 }
            while true {
                // At the start of a value.
                if let c = peek, c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                    guard depth + open < FlatJSON.maxDepth else { throw tooDeep() }
                    let object = c == UInt8(ascii: "{")
                    if object { objects |= 1 << UInt64(open) } else { objects &= ~(1 << UInt64(open)) }
                    open += 1
                    index += 1
                    skipSpace()
                    if peek == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        index += 1
                        open -= 1
                    } else {
                        if object { try skipMemberName() }
                        continue
                    }
                } else if peek == UInt8(ascii: "\"") {
                    try skipString()
                } else {
                    _ = try value()  // a literal or a number; anything else is an error
                }
                // After a value: close brackets until a `,` asks for the next value.
                while true {
                    guard open > 0 else { return }
                    skipSpace()
                    let object = isObject(open - 1)
                    if peek == UInt8(ascii: ",") {
                        index += 1
                        skipSpace()
                        if object { try skipMemberName() }
                        break
                    }
                    guard peek == (object ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                        throw error(object ? "expected , or } in an object" : "expected , or ] in an array")
                    }
                    index += 1
                    open -= 1
                }
            }
        }

        /// Moves past `"name":` and the space after it.
        mutating func skipMemberName() throws(SyntaxError) {
            guard peek == UInt8(ascii: "\"") else { throw error("expected a string") }
            try skipString()
            skipSpace()
            guard peek == UInt8(ascii: ":") else { throw error("expected : after a member name") }
            index += 1
            skipSpace()
        }

        mutating func literal(_ word: String) throws(SyntaxError) {
            let expected = Array(word.utf8)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw error("unexpected character")
            }
            index += expected.count
        }

        mutating func number() throws(SyntaxError) -> String {
            let start = index
            if peek == UInt8(ascii: "-") { index += 1 }
            let digitsStart = index
            while let c = peek, c >= 48, c <= 57 { index += 1 }
            guard index > digitsStart else { throw error("unexpected character") }
            if peek == UInt8(ascii: ".") {
                index += 1
                let fraction = index
                while let c = peek, c >= 48, c <= 57 { index += 1 }
                guard index > fraction else { throw error("digits expected after the decimal point") }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                let exponent = index
                while let c = peek, c >= 48, c <= 57 { index += 1 }
                guard index > exponent else { throw error("digits expected in the exponent") }
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(SyntaxError) -> String {
            guard peek == UInt8(ascii: "\"") else { throw error("expected a string") }
            index += 1
            var out: [UInt8] = []
            while let c = peek {
                index += 1
                switch c {
                case UInt8(ascii: "\""):
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { break }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "n"): out.append(10)
                    case UInt8(ascii: "t"): out.append(9)
                    case UInt8(ascii: "r"): out.append(13)
                    case UInt8(ascii: "b"): out.append(8)
                    case UInt8(ascii: "f"): out.append(12)
                    case UInt8(ascii: "u"): out.append(contentsOf: Array(String(Character(try unicodeEscape())).utf8))
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                    default: throw error("invalid escape")
                    }
                case 0..<32:
                    throw error("control character in a string")
                default:
                    out.append(c)
                }
            }
            throw error("string is not closed")
        }

        /// Reads the four hex digits after `\u` (and a following low surrogate's escape).
        mutating func unicodeEscape() throws(SyntaxError) -> Unicode.Scalar {
            let high = try hex4()
            if (0xD800...0xDBFF).contains(high) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    return "\u{FFFD}"
                }
                index += 2
                let low = try hex4()
                guard (0xDC00...0xDFFF).contains(low) else { return "\u{FFFD}" }
                return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard index + 4 <= bytes.count else { throw error("short \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let digit = Character(Unicode.Scalar(bytes[index])).hexDigitValue else { throw error("invalid \\u escape") }
                value = value * 16 + UInt32(digit)
                index += 1
            }
            return value
        }
    }
}

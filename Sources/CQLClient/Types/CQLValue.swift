#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A value bound to a statement or read from a row.
///
/// Each case names the CQL type it is serialized as, so a value can be encoded
/// without knowing the column it goes to.
public enum CQLValue: Sendable, Hashable {
    /// No value (a negative length on the wire).
    case null
    /// A bound value left unset, so the column keeps what it had (v4+ only, bind values only).
    case unset
    case ascii(String)
    case bigint(Int64)
    case blob([UInt8])
    case boolean(Bool)
    case counter(Int64)
    case double(Double)
    case float(Float)
    case int(Int32)
    case smallint(Int16)
    case tinyint(Int8)
    /// `text` and `varchar`.
    case text(String)
    /// Milliseconds since the Unix epoch.
    case timestamp(Int64)
    /// Days since the Unix epoch, shifted so that the epoch is 2^31.
    case date(UInt32)
    /// Nanoseconds since midnight.
    case time(Int64)
    case uuid(UUID)
    /// A version 1 UUID; ``Foundation/UUID/timeBasedDate`` reads its instant.
    case timeuuid(UUID)
    case list([CQLValue])
    case set([CQLValue])
    /// Entries in wire order.
    case map([CQLMapEntry])
    /// The serialized bytes of a type this module does not model (decimal, varint, inet, duration, UDT, tuple, custom).
    case raw(type: CQLDataType, bytes: [UInt8])

    /// A `timestamp` value for a date, truncated to the millisecond.
    public static func timestamp(_ date: Date) -> CQLValue {
        .timestamp(Int64((date.timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// A `map<text, text>` value, with keys sorted so that its encoding is reproducible.
    public static func textMap(_ dictionary: [String: String]) -> CQLValue {
        .map(dictionary.sorted { $0.key < $1.key }.map { CQLMapEntry(key: .text($0.key), value: .text($0.value)) })
    }

    /// Whether this is `null` (or `unset`).
    public var isNull: Bool {
        switch self {
        case .null, .unset: true
        default: false
        }
    }
}

/// One key/value pair of a ``CQLValue/map(_:)``.
public struct CQLMapEntry: Sendable, Hashable {
    public var key: CQLValue
    public var value: CQLValue

    public init(key: CQLValue, value: CQLValue) {
        self.key = key
        self.value = value
    }
}

extension CQLValue: ExpressibleByStringLiteral {
    /// A string literal is a `text` value.
    public init(stringLiteral value: String) {
        self = .text(value)
    }
}

import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Swift type that can be bound to a statement.
public protocol CQLValueEncodable: Sendable {
    var cqlValue: CQLValue { get }
}

/// A Swift type that a cell can be read into (see ``CQLRow/decode(_:column:)``).
public protocol CQLValueDecodable: Sendable {
    /// Converts a cell, or returns nil when the cell's type does not convert to `Self`.
    init?(cqlValue: CQLValue)
}

/// Both directions.
public typealias CQLValueConvertible = CQLValueEncodable & CQLValueDecodable

extension CQLValue: CQLValueEncodable, CQLValueDecodable {
    public var cqlValue: CQLValue { self }

    public init?(cqlValue: CQLValue) {
        self = cqlValue
    }
}

extension Optional: CQLValueEncodable where Wrapped: CQLValueEncodable {
    public var cqlValue: CQLValue { self?.cqlValue ?? .null }
}

extension Optional: CQLValueDecodable where Wrapped: CQLValueDecodable {
    /// `null` becomes `nil`; any other cell must convert to `Wrapped`.
    public init?(cqlValue: CQLValue) {
        if cqlValue.isNull {
            self = .none
        } else if let wrapped = Wrapped(cqlValue: cqlValue) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
}

extension String: CQLValueConvertible {
    public var cqlValue: CQLValue { .text(self) }

    public init?(cqlValue: CQLValue) {
        switch cqlValue {
        case .text(let string), .ascii(let string): self = string
        default: return nil
        }
    }
}

extension Bool: CQLValueConvertible {
    public var cqlValue: CQLValue { .boolean(self) }

    public init?(cqlValue: CQLValue) {
        guard case .boolean(let value) = cqlValue else { return nil }
        self = value
    }
}

extension Int32: CQLValueConvertible {
    public var cqlValue: CQLValue { .int(self) }

    public init?(cqlValue: CQLValue) {
        guard let value = cqlValue.integerValue, let exact = Int32(exactly: value) else { return nil }
        self = exact
    }
}

extension Int64: CQLValueConvertible {
    public var cqlValue: CQLValue { .bigint(self) }

    public init?(cqlValue: CQLValue) {
        guard let value = cqlValue.integerValue else { return nil }
        self = value
    }
}

extension Int: CQLValueConvertible {
    /// Binds as `bigint`.
    public var cqlValue: CQLValue { .bigint(Int64(self)) }

    public init?(cqlValue: CQLValue) {
        guard let value = cqlValue.integerValue, let exact = Int(exactly: value) else { return nil }
        self = exact
    }
}

extension Int16: CQLValueConvertible {
    public var cqlValue: CQLValue { .smallint(self) }

    public init?(cqlValue: CQLValue) {
        guard let value = cqlValue.integerValue, let exact = Int16(exactly: value) else { return nil }
        self = exact
    }
}

extension Int8: CQLValueConvertible {
    public var cqlValue: CQLValue { .tinyint(self) }

    public init?(cqlValue: CQLValue) {
        guard let value = cqlValue.integerValue, let exact = Int8(exactly: value) else { return nil }
        self = exact
    }
}

extension Double: CQLValueConvertible {
    public var cqlValue: CQLValue { .double(self) }

    public init?(cqlValue: CQLValue) {
        switch cqlValue {
        case .double(let value): self = value
        case .float(let value): self = Double(value)
        default: return nil
        }
    }
}

extension Float: CQLValueConvertible {
    public var cqlValue: CQLValue { .float(self) }

    public init?(cqlValue: CQLValue) {
        guard case .float(let value) = cqlValue else { return nil }
        self = value
    }
}

extension Date: CQLValueConvertible {
    /// Binds as `timestamp`, truncated to the millisecond.
    public var cqlValue: CQLValue { .timestamp(self) }

    /// Reads a `timestamp`, or the instant of a `timeuuid`.
    public init?(cqlValue: CQLValue) {
        switch cqlValue {
        case .timestamp(let milliseconds):
            self = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
        case .timeuuid(let uuid):
            guard let date = uuid.timeBasedDate else { return nil }
            self = date
        default:
            return nil
        }
    }
}

extension UUID: CQLValueConvertible {
    /// Binds as `uuid`; use ``CQLValue/timeuuid(_:)`` for a `timeuuid` column of a simple statement.
    public var cqlValue: CQLValue { .uuid(self) }

    public init?(cqlValue: CQLValue) {
        switch cqlValue {
        case .uuid(let uuid), .timeuuid(let uuid): self = uuid
        default: return nil
        }
    }
}

extension Data: CQLValueConvertible {
    public var cqlValue: CQLValue { .blob(Array(self)) }

    public init?(cqlValue: CQLValue) {
        guard case .blob(let bytes) = cqlValue else { return nil }
        self = Data(bytes)
    }
}

extension ByteBuffer: CQLValueConvertible {
    public var cqlValue: CQLValue { .blob(Array(readableBytesView)) }

    public init?(cqlValue: CQLValue) {
        guard case .blob(let bytes) = cqlValue else { return nil }
        self = ByteBuffer(bytes: bytes)
    }
}

extension Array: CQLValueEncodable where Element: CQLValueEncodable {
    /// Binds as a `list`.
    public var cqlValue: CQLValue { .list(map(\.cqlValue)) }
}

extension Array: CQLValueDecodable where Element: CQLValueDecodable {
    /// Reads a `list` or a `set`.
    public init?(cqlValue: CQLValue) {
        switch cqlValue {
        case .list(let elements), .set(let elements):
            var converted: [Element] = []
            converted.reserveCapacity(elements.count)
            for element in elements {
                guard let value = Element(cqlValue: element) else { return nil }
                converted.append(value)
            }
            self = converted
        default:
            return nil
        }
    }
}

extension Set: CQLValueEncodable where Element: CQLValueEncodable {
    /// Binds as a `set`.
    public var cqlValue: CQLValue { .set(map(\.cqlValue)) }
}

extension Set: CQLValueDecodable where Element: CQLValueDecodable {
    /// Reads a `set` or a `list`.
    public init?(cqlValue: CQLValue) {
        guard let elements = [Element](cqlValue: cqlValue) else { return nil }
        self = Set(elements)
    }
}

extension Dictionary: CQLValueEncodable where Key: CQLValueEncodable, Value: CQLValueEncodable {
    /// Binds as a `map`.
    public var cqlValue: CQLValue {
        .map(map { CQLMapEntry(key: $0.key.cqlValue, value: $0.value.cqlValue) })
    }
}

extension Dictionary: CQLValueDecodable where Key: CQLValueDecodable, Value: CQLValueDecodable {
    public init?(cqlValue: CQLValue) {
        guard case .map(let entries) = cqlValue else { return nil }
        var dictionary: [Key: Value] = [:]
        for entry in entries {
            guard let key = Key(cqlValue: entry.key), let value = Value(cqlValue: entry.value) else { return nil }
            dictionary[key] = value
        }
        self = dictionary
    }
}

extension CQLValue {
    /// The value of any integer case, for conversions between integer widths.
    var integerValue: Int64? {
        switch self {
        case .bigint(let value), .counter(let value): value
        case .int(let value): Int64(value)
        case .smallint(let value): Int64(value)
        case .tinyint(let value): Int64(value)
        default: nil
        }
    }
}

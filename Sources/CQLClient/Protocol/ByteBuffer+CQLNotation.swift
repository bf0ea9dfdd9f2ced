import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Readers and writers for the notations of section 3 of the protocol specification
// ([short], [string], [bytes], [value], [string map], ...). Readers throw
// `CQLClientError.malformedMessage` naming what was being read when the body ends early.

extension ByteBuffer {
    // MARK: Fixed-size integers

    package mutating func readCQLByte(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard let value = readInteger(as: UInt8.self) else { throw Self.truncated(what()) }
        return value
    }

    package mutating func readCQLShort(_ what: @autoclosure () -> String) throws -> UInt16 {
        guard let value = readInteger(as: UInt16.self) else { throw Self.truncated(what()) }
        return value
    }

    package mutating func readCQLInt(_ what: @autoclosure () -> String) throws -> Int32 {
        guard let value = readInteger(as: Int32.self) else { throw Self.truncated(what()) }
        return value
    }

    package mutating func readCQLLong(_ what: @autoclosure () -> String) throws -> Int64 {
        guard let value = readInteger(as: Int64.self) else { throw Self.truncated(what()) }
        return value
    }

    // MARK: Strings

    /// [string]: a [short] length then UTF-8 bytes.
    package mutating func writeCQLString(_ string: String) throws {
        let length = string.utf8.count
        guard length <= UInt16.max else {
            throw CQLClientError.encodingFailed("string of \(length) bytes does not fit a [string]")
        }
        writeInteger(UInt16(length))
        writeString(string)
    }

    package mutating func readCQLString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readCQLShort(what())
        guard let string = readString(length: Int(length)) else { throw Self.truncated(what()) }
        return string
    }

    /// [long string]: an [int] length then UTF-8 bytes.
    package mutating func writeCQLLongString(_ string: String) {
        writeInteger(Int32(string.utf8.count))
        writeString(string)
    }

    package mutating func readCQLLongString(_ what: @autoclosure () -> String) throws -> String {
        let length = try readCQLInt(what())
        guard length >= 0, let string = readString(length: Int(length)) else { throw Self.truncated(what()) }
        return string
    }

    /// [string list]: a [short] count then that many [string].
    package mutating func writeCQLStringList(_ strings: [String]) throws {
        writeInteger(UInt16(strings.count))
        for string in strings {
            try writeCQLString(string)
        }
    }

    package mutating func readCQLStringList(_ what: @autoclosure () -> String) throws -> [String] {
        let count = try readCQLShort(what())
        var strings: [String] = []
        strings.reserveCapacity(Int(count))
        for _ in 0..<count {
            strings.append(try readCQLString(what()))
        }
        return strings
    }

    /// [string map], written in the given order so that the bytes are reproducible.
    package mutating func writeCQLStringMap(_ pairs: [(key: String, value: String)]) throws {
        writeInteger(UInt16(pairs.count))
        for pair in pairs {
            try writeCQLString(pair.key)
            try writeCQLString(pair.value)
        }
    }

    package mutating func readCQLStringMultimap(_ what: @autoclosure () -> String) throws -> [String: [String]] {
        let count = try readCQLShort(what())
        var map: [String: [String]] = [:]
        for _ in 0..<count {
            let key = try readCQLString(what())
            map[key] = try readCQLStringList(what())
        }
        return map
    }

    // MARK: Byte sequences

    /// [bytes]: an [int] length then that many bytes; a negative length is null.
    package mutating func writeCQLBytes(_ bytes: [UInt8]?) {
        guard let bytes else {
            writeInteger(Int32(-1))
            return
        }
        writeInteger(Int32(bytes.count))
        writeBytes(bytes)
    }

    /// Reads [bytes] as a slice of this buffer; nil for null.
    package mutating func readCQLBytes(_ what: @autoclosure () -> String) throws -> ByteBuffer? {
        let length = try readCQLInt(what())
        guard length >= 0 else { return nil }
        guard let slice = readSlice(length: Int(length)) else { throw Self.truncated(what()) }
        return slice
    }

    package mutating func readCQLBytesArray(_ what: @autoclosure () -> String) throws -> [UInt8]? {
        try readCQLBytes(what()).map { Array($0.readableBytesView) }
    }

    /// [short bytes]: a [short] length then that many bytes.
    package mutating func writeCQLShortBytes(_ bytes: [UInt8]) throws {
        guard bytes.count <= UInt16.max else {
            throw CQLClientError.encodingFailed("\(bytes.count) bytes do not fit [short bytes]")
        }
        writeInteger(UInt16(bytes.count))
        writeBytes(bytes)
    }

    package mutating func readCQLShortBytes(_ what: @autoclosure () -> String) throws -> [UInt8] {
        let length = try readCQLShort(what())
        guard let bytes = readBytes(length: Int(length)) else { throw Self.truncated(what()) }
        return bytes
    }

    /// [bytes map]: a [short] count then [string] keys with [bytes] values.
    package mutating func readCQLBytesMap(_ what: @autoclosure () -> String) throws -> [String: [UInt8]?] {
        let count = try readCQLShort(what())
        var map: [String: [UInt8]?] = [:]
        for _ in 0..<count {
            let key = try readCQLString(what())
            map[key] = .some(try readCQLBytesArray(what()))
        }
        return map
    }

    // MARK: Other notations

    package mutating func writeCQLConsistency(_ consistency: CQLConsistency) {
        writeInteger(consistency.rawValue)
    }

    package mutating func readCQLConsistency(_ what: @autoclosure () -> String) throws -> CQLConsistency {
        let raw = try readCQLShort(what())
        guard let consistency = CQLConsistency(rawValue: raw) else {
            throw CQLClientError.malformedMessage("unknown consistency 0x\(String(raw, radix: 16)) in \(what())")
        }
        return consistency
    }

    /// [uuid]: 16 bytes.
    package mutating func writeCQLUUID(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { _ = writeBytes($0) }
    }

    package mutating func readCQLUUID(_ what: @autoclosure () -> String) throws -> UUID {
        guard let bytes = readBytes(length: 16) else { throw Self.truncated(what()) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// [inetaddr]: a [byte] size (4 or 16) then the address bytes, rendered as text.
    package mutating func readCQLInetAddress(_ what: @autoclosure () -> String) throws -> String {
        let size = try readCQLByte(what())
        guard let packed = readSlice(length: Int(size)) else { throw Self.truncated(what()) }
        guard let address = try? SocketAddress(packedIPAddress: packed, port: 0), let text = address.ipAddress else {
            throw CQLClientError.malformedMessage("address of \(size) bytes in \(what())")
        }
        return text
    }

    private static func truncated(_ what: String) -> CQLClientError {
        .malformedMessage("body ended while reading \(what)")
    }
}

/// A storage location given as a URL: `sqlite:///path/lake.db`, `mysql://user:pass@host:3306/db`,
/// `cassandra://user:pass@host1:9042,host2:9042/keyspace`. Its ``description`` never shows the password;
/// ``redacted(_:)`` does the same for text that does not parse, to say what was wrong with it.
///
/// Any text may come in (an option, an environment variable): reading it never traps, and text
/// longer than ``maxLength`` is refused unread.
public struct StorageURL: Sendable, Hashable, CustomStringConvertible {
    /// The longest URL read, in UTF-8 bytes: a long Cassandra contact list of a hundred hosts
    /// fits in a third of it.
    public static let maxLength = 8192

    /// One server of the URL's comma-separated host list.
    public struct Host: Sendable, Hashable, CustomStringConvertible {
        /// A name or an address; an IPv6 address without its brackets.
        public var name: String
        public var port: Int?

        public init(name: String, port: Int? = nil) {
            self.name = name
            self.port = port
        }

        public var description: String {
            (name.contains(":") ? "[\(name)]" : name) + (port.map { ":\($0)" } ?? "")
        }
    }

    public var scheme: String
    public var user: String?
    public var password: String?
    /// Every server named, in order (`host1:9042,host2:9042`); empty when none is.
    public var hosts: [Host]
    /// The first server's name, as written (an IPv6 address keeps its brackets).
    public var host: String?
    /// The first server's port.
    public var port: Int?
    /// For `sqlite`, the file path; for servers, the database or keyspace name.
    public var path: String
    public var query: [String: String]
    /// The URL as given, password included: pass it to drivers, never to logs.
    public let text: String

    public init?(_ text: String) {
        self.text = text
        guard text.utf8.count <= Self.maxLength, let schemeEnd = text.firstRange(of: "://") else { return nil }
        scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard !scheme.isEmpty else { return nil }
        var rest = String(text[schemeEnd.upperBound...])
        query = [:]
        hosts = []
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                // Empty names are kept as given (`?=x`): splitting must never leave no part.
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                query[Self.percentDecoded(parts[0])] = parts.count > 1 ? Self.percentDecoded(parts[1]) : ""
            }
            rest = String(rest[..<mark])
        }
        if scheme == "sqlite" {
            path = Self.percentDecoded(rest)
            guard !path.isEmpty else { return nil }
            return
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = String(rest[..<slash])
        path = slash < rest.endIndex ? Self.percentDecoded(String(rest[rest.index(after: slash)...])) : ""
        if let at = authority.lastIndex(of: "@") {
            let credentials = authority[..<at]
            authority = String(authority[authority.index(after: at)...])
            if let colon = credentials.firstIndex(of: ":") {
                user = Self.percentDecoded(String(credentials[..<colon]))
                password = Self.percentDecoded(String(credentials[credentials.index(after: colon)...]))
            } else {
                user = Self.percentDecoded(String(credentials))
            }
        }
        guard !authority.isEmpty else { return }
        for entry in authority.split(separator: ",", omittingEmptySubsequences: false) {
            guard let parsed = Self.host(String(entry)) else { return nil }
            hosts.append(parsed)
        }
        host = hosts[0].name.contains(":") ? "[\(hosts[0].name)]" : hosts[0].name
        port = hosts[0].port
    }

    /// `name`, `name:port`, `[v6]` or `[v6]:port`; nil when empty or the port is not 1 to 65535.
    private static func host(_ text: String) -> Host? {
        var name = text
        var port: Int?
        if let colon = text.lastIndex(of: ":"), !text.hasSuffix("]"), !text.hasPrefix("[") || text[..<colon].hasSuffix("]") {
            guard let number = Int(text[text.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            name = String(text[..<colon])
        }
        if name.hasPrefix("[") {
            guard name.hasSuffix("]"), name.count > 2 else { return nil }
            name = String(name.dropFirst().dropLast())
        }
        guard !name.isEmpty else { return nil }
        return Host(name: name, port: port)
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        if scheme == "sqlite" { return "sqlite://\(path)" }
        var text = scheme + "://"
        if let user { text += user + (password == nil ? "" : ":***") + "@" }
        text += hosts.map(\.description).joined(separator: ",")
        if !path.isEmpty { text += "/" + path }
        if !query.isEmpty { text += "?" + query.keys.sorted().map { "\($0)=\(query[$0]!)" }.joined(separator: "&") }
        return text
    }

    /// `text` with its password replaced by `***`, whether or not it parses: for saying what is
    /// wrong with a URL without showing its secret. The password is taken to be everything
    /// between the first `:` after `scheme://` (or after the start, without a scheme) and the
    /// last `@` after that colon. That may hide more than the password of an odd URL (an `@` in
    /// its path), never less, since a password may hold any character but that last `@`.
    public static func redacted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var start = 0
        if let mark = firstIndex(of: Array("://".utf8), in: bytes) { start = mark + 3 }
        guard let at = bytes[start...].lastIndex(of: UInt8(ascii: "@")),
            let colon = bytes[start..<at].firstIndex(of: UInt8(ascii: ":")), colon + 1 < at
        else { return text }
        return String(decoding: bytes[..<(colon + 1)], as: UTF8.self) + "***" + String(decoding: bytes[at...], as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
            return start
        }
        return nil
    }

    /// `%XX` escapes decoded; a `%` without two hex digits after it stays as it is.
    private static func percentDecoded(_ text: String) -> String {
        let input = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(input.count)
        var i = 0
        while i < input.count {
            if input[i] == UInt8(ascii: "%"), i + 2 < input.count,
                let high = hexValue(input[i + 1]), let low = hexValue(input[i + 2])
            {
                bytes.append(high << 4 | low)
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

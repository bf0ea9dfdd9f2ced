/// A storage location given as a URL: `sqlite:///path/lake.db`, `mysql://user:pass@host:3306/db`,
/// `cassandra://user:pass@host1:9042,host2:9042/keyspace`. Its ``description`` never shows the password.
public struct StorageURL: Sendable, Hashable, CustomStringConvertible {
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
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        scheme = String(text[..<schemeEnd.lowerBound]).lowercased()
        guard !scheme.isEmpty else { return nil }
        var rest = String(text[schemeEnd.upperBound...])
        query = [:]
        hosts = []
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
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

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// A storage location given as a URL: `sqlite:///path/lake.db`, `mysql://user:pass@host:3306/db`,
/// `cassandra://user:pass@host:9042/keyspace`. Its ``description`` never shows the password.
public struct StorageURL: Sendable, Hashable, CustomStringConvertible {
    public var scheme: String
    public var user: String?
    public var password: String?
    public var host: String?
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
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            guard let number = Int(authority[authority.index(after: colon)...]), (1...65535).contains(number) else { return nil }
            port = number
            authority = String(authority[..<colon])
        }
        host = authority.isEmpty ? nil : authority
    }

    /// The URL with the password replaced by `***`.
    public var description: String {
        if scheme == "sqlite" { return "sqlite://\(path)" }
        var text = scheme + "://"
        if let user { text += user + (password == nil ? "" : ":***") + "@" }
        text += host ?? ""
        if let port { text += ":\(port)" }
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

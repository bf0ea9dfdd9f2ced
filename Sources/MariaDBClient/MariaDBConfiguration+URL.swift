#if MySQL
extension MariaDBConfiguration {
    /// Parses `mysql://user:password@host:3306/database?ssl=required&connect_timeout=5`.
    ///
    /// - The scheme is `mysql` or `mariadb`; the port defaults to 3306; the database is optional.
    /// - User, password and database are percent-decoded, so a password with `@`, `:` or `/`
    ///   is written `%40`, `%3A`, `%2F`. A `+` stays a `+`.
    /// - An IPv6 host is written in brackets: `mysql://u@[::1]:3306/db`.
    /// - Parameters: `ssl=disabled|preferred|required` (default `preferred`), `ssl_ca=/path/ca.pem`
    ///   (see ``tlsCAFile``; not allowed with `ssl=disabled`) and, in whole seconds,
    ///   `connect_timeout` (default 10), `read_timeout` and `write_timeout` (default none).
    ///   Any other parameter is rejected.
    public init(url: String) throws(MariaDBConfigurationError) {
        guard let schemeEnd = url.firstRange(of: "://"),
            ["mysql", "mariadb"].contains(url[..<schemeEnd.lowerBound].lowercased())
        else { throw .unsupportedScheme }

        var rest = url[schemeEnd.upperBound...]
        var query: Substring = ""
        if let questionMark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: questionMark)...]
            rest = rest[..<questionMark]
        }
        var authority = rest
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            path = rest[rest.index(after: slash)...]
        }

        guard let at = authority.lastIndex(of: "@") else { throw .missingUser }
        let userInfo = authority[..<at]
        let (host, port) = try Self.parseHostAndPort(authority[authority.index(after: at)...])

        let user: String
        var password = ""
        if let colon = userInfo.firstIndex(of: ":") {
            user = try percentDecoded(userInfo[..<colon], component: "user name")
            password = try percentDecoded(userInfo[userInfo.index(after: colon)...], component: "password")
        } else {
            user = try percentDecoded(userInfo, component: "user name")
        }
        guard !user.isEmpty else { throw .missingUser }

        let database = try percentDecoded(path, component: "database name")
        self.init(
            host: host, port: port, user: user, password: password,
            database: database.isEmpty ? nil : database
        )
        try applyParameters(query)
        if tls == .disabled, let tlsCAFile {
            throw .invalidParameterValue(name: "ssl_ca", value: tlsCAFile)
        }
    }

    private static func parseHostAndPort(
        _ hostPort: Substring
    ) throws(MariaDBConfigurationError) -> (host: String, port: Int) {
        var host = hostPort
        var portText: Substring?
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw .missingHost }
            host = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
            let afterBracket = hostPort[hostPort.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portText = afterBracket.dropFirst()
            } else if !afterBracket.isEmpty {
                throw .invalidPort(String(afterBracket))
            }
        } else if let colon = hostPort.firstIndex(of: ":") {
            host = hostPort[..<colon]
            portText = hostPort[hostPort.index(after: colon)...]
        }
        guard !host.isEmpty else { throw .missingHost }
        guard let portText else { return (String(host), 3306) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidPort(String(portText))
        }
        return (String(host), port)
    }

    private mutating func applyParameters(_ query: Substring) throws(MariaDBConfigurationError) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try percentDecoded(parts[0], component: "parameter name")
            let value = try percentDecoded(parts.count > 1 ? parts[1] : "", component: "parameter \(name)")
            switch name {
            case "ssl":
                guard let mode = MariaDBTLSMode(rawValue: value) else {
                    throw .invalidParameterValue(name: name, value: value)
                }
                tls = mode
            case "ssl_ca":
                guard !value.isEmpty else { throw .invalidParameterValue(name: name, value: value) }
                tlsCAFile = value
            case "connect_timeout":
                connectTimeout = try Self.parseSeconds(name: name, value: value)
            case "read_timeout":
                readTimeout = try Self.parseSeconds(name: name, value: value)
            case "write_timeout":
                writeTimeout = try Self.parseSeconds(name: name, value: value)
            default:
                throw .unknownParameter(name)
            }
        }
    }

    private static func parseSeconds(
        name: String, value: String
    ) throws(MariaDBConfigurationError) -> Duration {
        guard let seconds = Int(value), seconds > 0, seconds <= Int(UInt32.max) else {
            throw .invalidParameterValue(name: name, value: value)
        }
        return .seconds(seconds)
    }
}

/// Decodes `%XX` escapes; the result must be valid UTF-8.
private func percentDecoded(
    _ text: Substring, component: String
) throws(MariaDBConfigurationError) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var iterator = text.utf8.makeIterator()
    while let byte = iterator.next() {
        guard byte == UInt8(ascii: "%") else {
            bytes.append(byte)
            continue
        }
        guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
            throw .invalidPercentEncoding(component: component)
        }
        bytes.append(high << 4 | low)
    }
    guard let decoded = String(validating: bytes, as: UTF8.self) else {
        throw .invalidPercentEncoding(component: component)
    }
    return decoded
}

private func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
}
#endif

/// Where `GET /t/{kind}?redirect=` may send a browser: an absolute `http`/`https` URL whose
/// host is on the allow list, in a shape every browser reads the same way.
///
/// Browsers repair what they are given: they read `\` as `/`, drop tabs and newlines, and take
/// everything before an `@` in the authority as a user name. `https://evil.com\@example.com/`
/// therefore looks like a URL on example.com to a lenient parser and lands on evil.com in
/// Chromium. Instead of guessing how a browser repairs a URL, every such shape is refused: the
/// text must be plain printable ASCII without a backslash, with no user info, and a host (and
/// optional port) of letters, digits, `-` and `.` only. Parsed byte by byte; no URL library.
public enum RedirectTarget {
    /// Why a redirect target was refused.
    public struct Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { "redirect target refused: \(reason)" }
    }

    /// Longer targets are refused; browsers and proxies disagree about long URLs.
    public static let maxBytes = 2048

    /// `text` unchanged when it is a safe absolute URL on one of `allowedHosts` (compared in
    /// lower case, whatever the port), else the reason it is not.
    public static func validate(_ text: String, allowedHosts: Set<String>) -> Result<String, Refusal> {
        let bytes = Array(text.utf8)
        func refuse(_ reason: String) -> Result<String, Refusal> { .failure(Refusal(reason: reason)) }
        guard !bytes.isEmpty else { return refuse("it is empty") }
        guard bytes.count <= maxBytes else { return refuse("it is longer than \(maxBytes) bytes") }
        for byte in bytes {
            guard byte > 0x20, byte < 0x7F else {
                return refuse("it holds a space, a control character or a non-ASCII byte")
            }
            guard byte != UInt8(ascii: "\\") else { return refuse("it holds a backslash") }
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return refuse("it is not an absolute http or https URL") }
        let scheme = String(decoding: bytes[..<colon].map(lowercased), as: UTF8.self)
        guard scheme == "http" || scheme == "https" else { return refuse("only http and https URLs are allowed") }
        let slashes = colon + 1
        guard bytes.count >= slashes + 2, bytes[slashes] == UInt8(ascii: "/"), bytes[slashes + 1] == UInt8(ascii: "/") else {
            return refuse("it is not an absolute http or https URL")
        }
        let authorityStart = slashes + 2
        let authorityEnd = bytes[authorityStart...].firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        let authority = bytes[authorityStart..<authorityEnd]
        guard !authority.contains(UInt8(ascii: "@")) else { return refuse("user info (@) in the host part is not allowed") }
        var host = authority
        if let portColon = authority.firstIndex(of: UInt8(ascii: ":")) {
            host = authority[..<portColon]
            guard validPort(authority[(portColon + 1)...]) else { return refuse("the port must be a number from 1 to 65535") }
        }
        guard !host.isEmpty, host.allSatisfy(isHostByte) else { return refuse("the host must be letters, digits, '-' and '.'") }
        let hostName = String(decoding: host.map(lowercased), as: UTF8.self)
        guard allowedHosts.contains(where: { $0.lowercased() == hostName }) else {
            return refuse("the host \(hostName) is not on the allow list")
        }
        return .success(text)
    }

    private static func validPort(_ digits: ArraySlice<UInt8>) -> Bool {
        guard (1...5).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return false }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return (1...65535).contains(value)
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }
}

import Crypto
import Foundation

/// A webhook that receives the alerts' notifications. The warehouse's outbox names it by
/// ``id``, a digest of its URL, never by the URL, which may carry a token.
public struct WebhookTarget: Sendable, Hashable, CustomStringConvertible {
    public let url: URL
    public let id: String

    /// Nil for anything but an absolute `http` or `https` URL with a host.
    public init?(_ text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else { return nil }
        self.url = url
        id = SHA256.hash(data: Data(text.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The URL without its user, password, path and query: what logs may show.
    public var description: String {
        var components = URLComponents()
        components.scheme = url.scheme
        components.host = url.host
        components.port = url.port
        return (components.string ?? "webhook") + " (\(id))"
    }
}

/// HMAC-SHA256 over a notification's exact body, with the secret the receiver shares: the
/// `X-JobPulse-Signature` header, `sha256=<hex>`.
public enum WebhookSignature {
    public static let header = "X-JobPulse-Signature"

    public static func sign(_ body: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}

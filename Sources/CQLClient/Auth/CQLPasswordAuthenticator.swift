/// Username and password authentication, as done by Cassandra's PasswordAuthenticator:
/// a SASL PLAIN token made of a NUL byte, the username, a NUL byte and the password.
///
/// The password is never part of a description or mirror of this value.
public struct CQLPasswordAuthenticator: CQLAuthenticator, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    public let username: String
    private let password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// The SASL PLAIN token: `\0username\0password`.
    var token: [UInt8] {
        [0] + Array(username.utf8) + [0] + Array(password.utf8)
    }

    public func initialResponse(authenticator: String) throws -> [UInt8]? {
        token
    }

    /// PLAIN has a single step; a server that challenges anyway gets the credentials again.
    public func evaluateChallenge(_ challenge: [UInt8]?) throws -> [UInt8]? {
        token
    }

    public var description: String { "CQLPasswordAuthenticator(username: \(username), password: <redacted>)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["username": username]) }
}

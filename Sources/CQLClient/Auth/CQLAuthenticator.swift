/// Produces the SASL tokens of an authentication exchange.
///
/// After STARTUP, a server that requires authentication names its authenticator
/// class in AUTHENTICATE. The client answers with ``initialResponse(authenticator:)``,
/// then with ``evaluateChallenge(_:)`` for each AUTH_CHALLENGE, until AUTH_SUCCESS
/// (or an authentication ERROR).
public protocol CQLAuthenticator: Sendable {
    /// The first token, sent in answer to AUTHENTICATE.
    func initialResponse(authenticator: String) throws -> [UInt8]?

    /// The token answering one server challenge.
    func evaluateChallenge(_ challenge: [UInt8]?) throws -> [UInt8]?
}

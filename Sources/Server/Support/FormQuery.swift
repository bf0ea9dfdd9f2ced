import Foundation
import Hummingbird

/// A request's query decoded as browsers, HTML forms and HTTP libraries encode it: `+` is a space
/// and `%XX` a byte. (Hummingbird's `queryParameters` leaves a `+` as it is, so
/// `from=2025-11-29+10:00:00`, as Python's `requests` sends a space, would not read as a time.)
/// The first value of a name is its value. Linear in the query's length, which the server's
/// limit on the request head bounds.
struct FormQuery: Sendable {
    let pairs: [(name: String, value: String)]

    init(_ request: Request) {
        pairs = (request.uri.query ?? "").split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// `+` as a space, then percent escapes; a malformed escape leaves the text as sent.
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

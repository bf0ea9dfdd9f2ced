import Foundation

/// The answer of `POST /v1/events`, read back whatever the order of its keys.
package struct IntakeAnswer: Decodable, Equatable {
    package struct RejectedRow: Decodable, Equatable {
        package let index: Int
        package let reason: String

        package init(index: Int, reason: String) { (self.index, self.reason) = (index, reason) }
    }

    package let received: Int
    package let accepted: Int
    package let rejected: Int
    package let errors: [RejectedRow]

    package init(_ text: String) throws { self = try JSONDecoder().decode(Self.self, from: Data(text.utf8)) }

    package init(received: Int, accepted: Int, rejected: Int, errors: [RejectedRow]) {
        (self.received, self.accepted, self.rejected, self.errors) = (received, accepted, rejected, errors)
    }
}

/// A JSON object's members, `[:]` for anything else; `member(_:)` reads a nested object.
package func jsonObject(_ text: String) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
}

extension Dictionary where Key == String, Value == Any {
    package func member(_ key: String) -> [String: Any] { self[key] as? [String: Any] ?? [:] }
}

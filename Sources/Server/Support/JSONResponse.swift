import Foundation
import Hummingbird

/// A value that is written as JSON `null` when it is missing, instead of leaving its key out
/// as `Encodable` does for an optional: the API's figures are always present, and `null` says
/// that there is none (no clicks, so no cost per click).
@propertyWrapper
struct Nullable<Value: Encodable & Sendable>: Encodable, Sendable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}

/// How the server writes JSON: keys in snake case (`activeJobs` is `active_jobs`) and sorted,
/// so that the same figures are the same bytes; slashes as they are.
enum ServerJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as JSON text, for a value that always encodes (strings and integers only): `{}`
    /// should it not. Keys of a dictionary are written as they are.
    static func text(_ value: some Encodable) -> String {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension Response {
    /// `value` as a JSON answer that no cache keeps.
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try ServerJSON.encoder.encode(value)))
        )
    }
}

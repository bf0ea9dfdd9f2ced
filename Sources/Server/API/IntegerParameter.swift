import Hummingbird
import JobPulseCore

/// An integer query parameter, read strictly. Only ASCII digits (with a leading `-` where the
/// range goes below zero) within the range are a value; everything else, however long, is a 400
/// naming the parameter, the range and the value as sent. A lenient `Int(text) ?? default`
/// turned `limit=99999999999999999999` into the default while `limit=1000000000` was refused.
struct IntegerParameter<Value: FixedWidthInteger & Sendable>: Sendable {
    let name: String
    let range: ClosedRange<Value>

    /// The value in `request`'s query; `nil` when the parameter is absent or empty.
    func value(in request: Request) throws -> Value? {
        guard let text = FormQuery(request)[name].map({ Substring($0) }), !text.isEmpty else { return nil }
        guard let value = Self.parse(text), range.contains(value) else {
            throw HTTPError(.badRequest, message: "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound); got \(quotedValue(text))")
        }
        return value
    }

    /// Decimal digits with an optional leading `-`; `nil` on anything else or on overflow.
    static func parse(_ text: Substring) -> Value? {
        var bytes = text.utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        guard !bytes.isEmpty else { return nil }
        var value: Value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = Value(byte - UInt8(ascii: "0"))
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = next
        }
        return value
    }
}

extension IntegerParameter where Value == Int {
    /// `/api/top-jobs?limit=`: how many jobs.
    static let limit = IntegerParameter(name: "limit", range: 1...1000)
}

extension IntegerParameter where Value == Int32 {
    /// A warehouse id (`publisher_id`, `campaign_id`): a non-negative 32-bit INT.
    static func id(_ name: String) -> IntegerParameter { IntegerParameter(name: name, range: 0...Int32.max) }
}

/// One tracking event exactly as it arrived: the 29 columns of the log, each present or absent,
/// plus any fields the sender added that the log does not know (kept, never interpreted).
public struct RawEvent: Sendable, Hashable {
    /// One value per ``TrackingField``, in column order; `nil` is an absent or empty field.
    public private(set) var values: [String?]
    /// Fields outside the 29 columns, by name (HTTP collector only; a CSV row has none).
    public var extra: [String: String]

    public init(values: [String?] = Array(repeating: nil, count: TrackingField.count), extra: [String: String] = [:]) {
        precondition(values.count == TrackingField.count, "a raw event has \(TrackingField.count) columns")
        self.values = values.map { $0?.isEmpty == true ? nil : $0 }
        self.extra = extra
    }

    public subscript(field: TrackingField) -> String? {
        get { values[field.index] }
        set { values[field.index] = newValue?.isEmpty == true ? nil : newValue }
    }
}

/// What a tracking event counts as in the funnel.
public enum EventKind: String, Sendable, CaseIterable {
    case click, conversion, qualified, unqualified
    /// Any other kind (`alive`, `redirect`, a page view without a kind, ...): kept in the lake,
    /// counted, but added to no funnel metric.
    case other

    /// Rule 1: the kind named exactly `click`, `conversion`, `qualified` or `unqualified` is a funnel kind.
    public init(name: String?) {
        switch name {
        case "click": self = .click
        case "conversion": self = .conversion
        case "qualified": self = .qualified
        case "unqualified": self = .unqualified
        default: self = .other
        }
    }

    public var isFunnel: Bool { self != .other }

    /// The kind as the lake stores it. These numbers are part of the lake's layout (and the
    /// Spark engine reads them): they never change meaning.
    public var code: Int {
        switch self {
        case .other: 0
        case .click: 1
        case .conversion: 2
        case .qualified: 3
        case .unqualified: 4
        }
    }

    /// The kind a stored code names; `nil` for a code no release has written.
    public init?(code: Int) {
        guard let kind = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = kind
    }
}

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
}

/// The two ways JobPulse reads a `Duration`: whole milliseconds, as the lakes, the leases and the
/// warehouse's times count (epoch milliseconds), and seconds as a floating-point number, for
/// reports. Defined once here, so that no other file converts by hand.
extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

import JobPulseInsights

/// How alerts are evaluated and delivered.
public struct AlertConfiguration: Sendable {
    public var thresholds: AlertThresholds
    public var webhooks: [WebhookTarget]
    /// The key that signs every notification; without one, notifications go unsigned.
    public var secret: String?
    /// The rules are evaluated after each commit, at most once per `minimumSpacing`, and at
    /// least once per `interval` (a stalled pipeline commits nothing).
    public var interval: Duration
    public var minimumSpacing: Duration
    /// A webhook must answer within this, or the attempt fails.
    public var deliveryTimeout: Duration
    /// The wait after the first failed attempt; it doubles after each failure up to `maximumBackoff`.
    public var firstBackoff: Duration
    public var maximumBackoff: Duration

    public init(
        thresholds: AlertThresholds = AlertThresholds(), webhooks: [WebhookTarget] = [], secret: String? = nil, interval: Duration = .seconds(60),
        minimumSpacing: Duration = .seconds(5), deliveryTimeout: Duration = .seconds(10), firstBackoff: Duration = .seconds(1),
        maximumBackoff: Duration = .seconds(300)
    ) {
        self.thresholds = thresholds
        self.webhooks = webhooks
        self.secret = secret
        self.interval = interval
        self.minimumSpacing = minimumSpacing
        self.deliveryTimeout = deliveryTimeout
        self.firstBackoff = firstBackoff
        self.maximumBackoff = maximumBackoff
    }

    /// The wait before the next attempt after `failures` failed ones: `first × 2^(failures−1)`,
    /// at most `maximumBackoff`.
    public func backoff(afterFailures failures: Int) -> Duration {
        var wait = firstBackoff
        for _ in 1..<max(1, min(failures, 40)) where wait < maximumBackoff { wait *= 2 }
        return min(wait, maximumBackoff)
    }
}

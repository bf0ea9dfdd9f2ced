import ArgumentParser
import JobPulseAlerts
import JobPulseComposition
import JobPulseInsights

/// The alert rules' thresholds and the webhooks that receive them, for the commands that run
/// the ETL (`serve`, `demo`). The README states each rule with its formula.
struct AlertOptions: ParsableArguments {
    @Option(
        name: .customLong("alert-webhook"),
        help: ArgumentHelp(
            "A URL that receives every alert fired or resolved, as signed JSON, at least once; repeat for several (env JOBPULSE_ALERT_WEBHOOKS, comma-separated).",
            valueName: "url"))
    var webhooks: [String] = []

    @Option(
        name: .customLong("alert-secret"),
        help: ArgumentHelp(
            "The key of the notifications' X-JobPulse-Signature, HMAC-SHA256 over the body (env JOBPULSE_ALERT_SECRET). Without it they go unsigned.",
            valueName: "secret"))
    var secret: String?

    @Option(
        name: .customLong("alert-budget-percent"),
        help: ArgumentHelp("budget_spent fires at this share of a budget spent in its period; repeat for several (default 80 and 100).", valueName: "percent"))
    var budgetPercents: [Double] = []

    @Option(
        name: .customLong("alert-pace-percent"),
        help: ArgumentHelp("pace_ahead fires when a budget spends more than this ahead of the even pace (default 25).", valueName: "percent"))
    var pacePercent: Double?

    @Option(
        name: .customLong("alert-traffic-stopped-hours"),
        help: ArgumentHelp("traffic_stopped fires for a campaign or job without a click for this many hours (default 6)…", valueName: "hours"))
    var trafficStoppedHours: Int64?

    @Option(
        name: .customLong("alert-traffic-lookback-hours"),
        help: ArgumentHelp("…that had clicks in the last this many hours (default 72).", valueName: "hours"))
    var trafficLookbackHours: Int64?

    @Option(
        name: .customLong("alert-cpc-factor"),
        help: ArgumentHelp(
            "cpc_spike fires when an hour's cost per click is above this many times the campaign's trailing median (default 3).", valueName: "factor"))
    var cpcFactor: Double?

    @Option(
        name: .customLong("alert-cpc-min-clicks"),
        help: ArgumentHelp("Hours with fewer clicks count for cpc_spike neither as the hour judged nor in its median (default 10).", valueName: "clicks"))
    var cpcMinClicks: Int64?

    @Option(
        name: .customLong("alert-max-data-age"),
        help: ArgumentHelp("pipeline_stalled fires when the newest committed event is older than this (default 900).", valueName: "seconds"))
    var maxDataAge: Double?

    @Option(
        name: .customLong("alert-max-lag"),
        help: ArgumentHelp("pipeline_stalled fires when more than this many events wait in the lake (default 50000).", valueName: "events"))
    var maxLag: Int64?

    @Option(
        name: .customLong("alert-interval"),
        help: ArgumentHelp("The rules are evaluated after each commit (at most every 5 s) and at least this often (default 60).", valueName: "seconds"))
    var interval: Double?

    func configuration() throws -> AlertConfiguration {
        let settings = JobPulseSettings.process
        let urls = webhooks + (settings[.alertWebhooks]?.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } ?? [])
        let targets = try urls.filter { !$0.isEmpty }.map { text in
            // The URL may carry a token: the error names only its position.
            guard let target = WebhookTarget(text) else {
                throw ValidationError("--alert-webhook must be an http or https URL with a host; one of the given ones is not")
            }
            return target
        }
        var thresholds = AlertThresholds()
        if !budgetPercents.isEmpty { thresholds.budgetSpentPercents = budgetPercents }
        thresholds.paceAheadPercent = pacePercent ?? thresholds.paceAheadPercent
        thresholds.trafficStoppedHours = trafficStoppedHours ?? thresholds.trafficStoppedHours
        thresholds.trafficLookbackHours = trafficLookbackHours ?? thresholds.trafficLookbackHours
        thresholds.cpcFactor = cpcFactor ?? thresholds.cpcFactor
        thresholds.cpcMinClicks = cpcMinClicks ?? thresholds.cpcMinClicks
        thresholds.maxDataAgeSeconds = maxDataAge ?? thresholds.maxDataAgeSeconds
        thresholds.maxLagEvents = maxLag ?? thresholds.maxLagEvents
        try Self.check(thresholds.budgetSpentPercents.allSatisfy { $0.isFinite && $0 > 0 }, "--alert-budget-percent must be above 0")
        try Self.check(thresholds.paceAheadPercent.isFinite && thresholds.paceAheadPercent >= 0, "--alert-pace-percent must be 0 or more")
        try Self.check(thresholds.trafficStoppedHours >= 1, "--alert-traffic-stopped-hours must be at least 1")
        try Self.check(
            thresholds.trafficLookbackHours > thresholds.trafficStoppedHours, "--alert-traffic-lookback-hours must be more than --alert-traffic-stopped-hours")
        try Self.check(thresholds.cpcFactor.isFinite && thresholds.cpcFactor > 1, "--alert-cpc-factor must be above 1")
        try Self.check(thresholds.cpcMinClicks >= 1, "--alert-cpc-min-clicks must be at least 1")
        try Self.check(thresholds.maxDataAgeSeconds.isFinite && thresholds.maxDataAgeSeconds > 0, "--alert-max-data-age must be above 0")
        try Self.check(thresholds.maxLagEvents >= 0, "--alert-max-lag must be 0 or more")
        let seconds = interval ?? 60
        try Self.check(seconds.isFinite && seconds >= 10 && seconds <= 86_400, "--alert-interval must be between 10 and 86400 seconds")
        return AlertConfiguration(
            thresholds: thresholds, webhooks: targets, secret: secret ?? settings[.alertSecret], interval: .milliseconds(Int64(seconds * 1000)))
    }

    private static func check(_ condition: Bool, _ message: String) throws {
        guard condition else { throw ValidationError(message) }
    }
}

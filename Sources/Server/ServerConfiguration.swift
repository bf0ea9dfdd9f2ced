import JobPulseCore

/// How `jobpulse serve` runs.
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Largest accepted request body; larger ones get 413.
    public var maxBodyBytes: Int
    /// Keys accepted for ingestion (`Authorization: Bearer …`); empty means ingestion is open.
    public var apiKeys: [String]
    /// When set, `/` and `/api` require HTTP basic authentication with these credentials.
    public var dashboardCredentials: (user: String, password: String)?
    /// Hosts that `GET /t/{kind}?redirect=` may send a browser to.
    public var redirectHosts: Set<String>
    /// A request head must arrive within this time of its first byte (against slowloris).
    public var headerTimeout: Duration
    /// A request body must arrive within this time of its head.
    public var bodyTimeout: Duration
    /// A connection with no request for this long is closed.
    public var idleTimeout: Duration
    /// How far ahead of this server's clock an event's `ts` may be, in milliseconds; later
    /// events are rejected (see ``Admission``).
    public var futureTolerance: Int64

    public init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 4 << 20, apiKeys: [String] = [],
        dashboardCredentials: (user: String, password: String)? = nil, redirectHosts: Set<String> = [],
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
        futureTolerance: Int64 = Admission.defaultFutureTolerance
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.apiKeys = apiKeys
        self.dashboardCredentials = dashboardCredentials
        self.redirectHosts = redirectHosts
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.futureTolerance = futureTolerance
    }
}

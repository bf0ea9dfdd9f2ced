import Foundation

/// How the ETL runs.
public struct ETLConfiguration: Sendable {
    /// Most events read and committed in one batch; bounds memory and transaction size.
    public var batchSize: Int
    /// Batches start at most this often when the ETL is caught up.
    public var interval: Duration
    /// How long the single-writer lease lasts without renewal; another ETL may take over after it.
    public var leaseTTL: Duration
    /// This ETL's name in the lease, unique per process.
    public var owner: String

    public init(batchSize: Int = 50_000, interval: Duration = .seconds(1), leaseTTL: Duration = .seconds(15), owner: String? = nil) {
        self.batchSize = batchSize
        self.interval = interval
        self.leaseTTL = leaseTTL
        self.owner = owner ?? Self.defaultOwner()
    }

    static func defaultOwner() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }
}

import CQLClient
import JobPulseCore

/// Everything a `cassandra://` lake URL says:
///
/// `cassandra://user:password@host1:9042,host2:9042/keyspace?option=value&…`
///
/// | option | default | meaning |
/// |---|---|---|
/// | `replication` | `SimpleStrategy:1` | the keyspace's replication when `migrate` creates it: `SimpleStrategy:N` or `NetworkTopologyStrategy:dc1=3,dc2=3` |
/// | `consistency` | `LOCAL_QUORUM` | every read and write: `ONE`, `TWO`, `THREE`, `QUORUM`, `ALL`, `LOCAL_QUORUM`, `EACH_QUORUM`, `LOCAL_ONE` |
/// | `ssl` | `disabled` | `required`: TLS to every node |
/// | `ssl_ca` | – | a PEM file of the certificates that sign the nodes' certificates (else the system's trust store) |
/// | `ssl_verify` | `full` | `full`: the chain and the host name; `ca`: the chain only (nodes addressed by IP); `none` |
/// | `bucket_seconds` | `60` | partition size in seconds of ingest time, fixed when the lake is created |
/// | `safety_lag_seconds` | `5` | how far behind the present a read stops (decimals allowed) |
/// | `page_size` | `5000` | rows per page of a read |
/// | `count_limit` | `100000` | most events one `count` adds up before returning what it has |
///
/// The host list's default port is 9042. The password stays out of ``description``.
public struct CassandraLakeConfiguration: Sendable {
    public struct TLS: Sendable, Hashable {
        public enum Verification: String, Sendable, Hashable {
            case full, ca, none
        }

        public var caFile: String?
        public var verification: Verification

        public init(caFile: String? = nil, verification: Verification = .full) {
            self.caFile = caFile
            self.verification = verification
        }
    }

    public var contactPoints: [CQLEndpoint]
    public var username: String?
    public var password: String?
    /// Lower case, as CQL folds an unquoted name.
    public var keyspace: String
    public var replication: CassandraReplication
    public var consistency: CQLConsistency
    public var tls: TLS?
    /// The bucket size of a new lake; an existing lake keeps the size it was created with.
    public var bucketSeconds: Int64
    /// Whether the URL sets `bucket_seconds`: then an existing lake of another size is refused.
    public var bucketSecondsGiven: Bool
    public var safetyLagMilliseconds: Int64
    public var pageSize: Int
    public var countLimit: Int
    /// How long an intake key is remembered (the TTL of its row in `intake_keys`).
    public var keyWindowMilliseconds: Int64
    /// How long after claiming an intake key a collector may still send the intake's rows;
    /// keep it below the ETL's safety lag, so that they are visible before a reader gets there.
    public var claimLeaseMilliseconds: Int64
    /// How old a claim left pending (its collector died or failed part-way) must be before
    /// another collector takes it over; beyond the lease, this covers rows still in flight.
    public var claimTakeoverMilliseconds: Int64
    /// The URL without its password, for logs and messages.
    public let description: String

    public static let options = [
        "replication", "consistency", "ssl", "ssl_ca", "ssl_verify",
        "bucket_seconds", "safety_lag_seconds", "page_size", "count_limit",
        "key_window_seconds", "claim_lease_seconds", "claim_takeover_seconds",
    ]

    /// Consistency levels a lake may use: those valid for both reads and writes.
    static let consistencies: [String: CQLConsistency] = [
        "ONE": .one, "TWO": .two, "THREE": .three, "QUORUM": .quorum, "ALL": .all,
        "LOCAL_QUORUM": .localQuorum, "EACH_QUORUM": .eachQuorum, "LOCAL_ONE": .localOne,
    ]

    public init(url: StorageURL) throws {
        description = url.description
        guard url.scheme == "cassandra" else { throw CassandraLakeError.invalidURL(url.description, reason: "the scheme must be cassandra") }
        guard !url.hosts.isEmpty else {
            throw CassandraLakeError.invalidURL(url.description, reason: "no host: give one or more as host1:9042,host2:9042")
        }
        contactPoints = url.hosts.map { CQLEndpoint(host: $0.name, port: $0.port ?? CQLEndpoint.defaultPort) }
        username = url.user
        password = url.password
        keyspace = url.path.lowercased()
        guard let first = keyspace.first, first.isASCII, first.isLetter, keyspace.count <= 48,
            keyspace.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
        else {
            throw CassandraLakeError.invalidURL(
                url.description, reason: "the path must name the keyspace: a letter, then letters, digits or _, at most 48 in all")
        }
        if let unknown = url.query.keys.sorted().first(where: { !Self.options.contains($0) }) {
            throw CassandraLakeError.invalidOption(
                unknown, value: url.query[unknown]!, reason: "unknown option (known: \(Self.options.joined(separator: ", ")))")
        }
        let query = url.query

        replication = try CassandraReplication(option: query["replication"] ?? "SimpleStrategy:1")

        let consistencyName = query["consistency"] ?? "LOCAL_QUORUM"
        guard let consistency = Self.consistencies[consistencyName.uppercased()] else {
            throw CassandraLakeError.invalidOption(
                "consistency", value: consistencyName, reason: "expected one of \(Self.consistencies.keys.sorted().joined(separator: ", "))")
        }
        self.consistency = consistency

        switch query["ssl"] ?? "disabled" {
        case "disabled":
            if let option = ["ssl_ca", "ssl_verify"].first(where: { query[$0] != nil }) {
                throw CassandraLakeError.invalidOption(option, value: query[option]!, reason: "needs ssl=required")
            }
            tls = nil
        case "required":
            let verifyName = query["ssl_verify"] ?? "full"
            guard let verification = TLS.Verification(rawValue: verifyName) else {
                throw CassandraLakeError.invalidOption("ssl_verify", value: verifyName, reason: "expected full, ca or none")
            }
            if let caFile = query["ssl_ca"], caFile.isEmpty {
                throw CassandraLakeError.invalidOption("ssl_ca", value: caFile, reason: "needs the path of a PEM file")
            }
            tls = TLS(caFile: query["ssl_ca"], verification: verification)
        case let other:
            throw CassandraLakeError.invalidOption("ssl", value: other, reason: "expected disabled or required")
        }

        bucketSeconds = Int64(try Self.integer(query, "bucket_seconds", default: 60, in: 1...86_400))
        bucketSecondsGiven = query["bucket_seconds"] != nil
        safetyLagMilliseconds = try Self.milliseconds(query, "safety_lag_seconds", default: 5_000)
        pageSize = try Self.integer(query, "page_size", default: 5_000, in: 1...Int(Int32.max))
        countLimit = try Self.integer(query, "count_limit", default: 100_000, in: 1...Int.max)
        keyWindowMilliseconds = try Self.milliseconds(query, "key_window_seconds", default: IntakeKey.defaultWindow.wholeMilliseconds)
        claimLeaseMilliseconds = try Self.milliseconds(query, "claim_lease_seconds", default: 4_000)
        claimTakeoverMilliseconds = try Self.milliseconds(query, "claim_takeover_seconds", default: 20_000)
        guard keyWindowMilliseconds >= 1000 else {
            throw CassandraLakeError.invalidOption("key_window_seconds", value: query["key_window_seconds"]!, reason: "expected at least 1 second")
        }
        guard claimTakeoverMilliseconds > claimLeaseMilliseconds else {
            throw CassandraLakeError.invalidOption(
                "claim_takeover_seconds", value: query["claim_takeover_seconds"] ?? "20",
                reason: "must be greater than claim_lease_seconds, so that a claim's own collector has stopped before it is taken over")
        }
    }

    public var layout: BucketLayout {
        BucketLayout(bucketSeconds: bucketSeconds, safetyLagMilliseconds: safetyLagMilliseconds)
    }

    private static func integer(_ query: [String: String], _ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw CassandraLakeError.invalidOption(name, value: text, reason: "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    private static func milliseconds(_ query: [String: String], _ name: String, default fallback: Int64) throws -> Int64 {
        guard let text = query[name] else { return fallback }
        guard let seconds = Double(text), seconds.isFinite, seconds >= 0, seconds <= 86_400 else {
            throw CassandraLakeError.invalidOption(name, value: text, reason: "expected a number of seconds from 0 to 86400")
        }
        return Int64((seconds * 1000).rounded())
    }
}

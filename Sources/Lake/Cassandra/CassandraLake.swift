import CQLClient
import Foundation
import JobPulseClock
import JobPulseCore
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// The production lake: Apache Cassandra, through the native protocol.
///
/// Events live in `tracking`, one partition per bucket of ingest time, ordered inside it by a
/// time-based `ingest_id` the lake assigns when it writes them. The ETL reads forward from a
/// position (bucket, `ingest_id`) and only up to `now − safety lag`, so that writes still in
/// flight are never stepped over; `docs/cassandra.md` explains the guarantee and its limit.
/// Each event's row holds its raw fields as text and the typed values admission gave it
/// (``TypedColumns``), which are all the ETL reads (``readNormalized(after:limit:)``).
/// Rejected rows go to `quarantine`, one partition per day; `lake_meta` holds the lake's
/// identity, bucket size and first bucket, written once, and its layout; `intake_keys` holds the
/// claims of keyed writes (`CassandraLake+IntakeKeys.swift`).
public final class CassandraLake: EventLake {
    public let kind = "cassandra"
    public let configuration: CassandraLakeConfiguration
    /// The URL's `count_limit`: a count that reaches it is a lower bound.
    public var countLimit: Int? { configuration.countLimit }
    /// The bucket size the lake was created with, and the URL's safety lag.
    public let layout: BucketLayout
    /// Epoch seconds of the first bucket a read from the beginning looks at.
    public let firstBucket: Int64
    let schema: CassandraSchema
    let session: CQLConnectionPool
    let statements: PreparedStatements
    let clock: WallClock
    let logger: Logger
    let ingestIDs = IngestIDGenerator()
    let scans = ScanMemory()
    private let lakeIdentity: String

    /// Whether opening the lake runs every `CREATE … IF NOT EXISTS` and upgrades a keyspace of an
    /// earlier layout (`jobpulse migrate`), or only creates the lake's tables when one is missing
    /// and refuses an earlier layout (every other command).
    public enum SchemaAction: Sendable {
        case create
        case createIfMissing
    }

    /// Connects, creates the keyspace and tables when `schema` says so, reads (or writes, for a new
    /// lake) `lake_meta`, prepares the lake's statements, and with ``SchemaAction/create``
    /// upgrades a keyspace of an earlier layout (`LakeUpgrade.swift`).
    ///
    /// - Parameter clock: the lake's time in epoch milliseconds, for ingest ids and read cutoffs.
    public static func open(
        _ configuration: CassandraLakeConfiguration,
        schema action: SchemaAction = .createIfMissing,
        clock: WallClock = .system,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "jobpulse.lake.cassandra")
    ) async throws -> CassandraLake {
        let pool = CQLConnectionPool(configuration: try poolConfiguration(configuration), eventLoopGroup: eventLoopGroup, logger: logger)
        do {
            do {
                try await pool.connect()
            } catch {
                throw CassandraLakeError.statementFailed(action: "connecting to \(configuration.description)", underlying: error)
            }
            let schema = CassandraSchema(keyspace: configuration.keyspace)
            let setup = LakeSetup(configuration: configuration, schema: schema, session: pool, clock: clock, logger: logger)
            try await setup.createSchema(action)
            let meta = try await setup.readMeta(upgrading: action == .create)
            let statements = try await PreparedStatements.prepare(schema, on: pool)
            let lake = CassandraLake(
                configuration: configuration, meta: meta, schema: schema, session: pool,
                statements: statements, clock: clock, logger: logger
            )
            if meta.layout < CassandraSchema.currentLayout { try await lake.completeUpgrade(setup) }
            logger.debug(
                "cassandra lake open",
                metadata: [
                    "lake": "\(configuration.description)", "bucket_seconds": "\(meta.bucketSeconds)",
                    "safety_lag_ms": "\(configuration.safetyLagMilliseconds)",
                ])
            return lake
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    private init(
        configuration: CassandraLakeConfiguration, meta: LakeMeta, schema: CassandraSchema, session: CQLConnectionPool,
        statements: PreparedStatements, clock: WallClock, logger: Logger
    ) {
        self.configuration = configuration
        layout = BucketLayout(bucketSeconds: meta.bucketSeconds, safetyLagMilliseconds: configuration.safetyLagMilliseconds)
        firstBucket = meta.firstBucket
        lakeIdentity = meta.identity
        self.schema = schema
        self.session = session
        self.statements = statements
        self.clock = clock
        self.logger = logger
    }

    public func identity() async throws -> String { lakeIdentity }

    public func close() async {
        await session.shutdown()
    }

    /// Settings for the connection pool: every contact point, the credentials, TLS, and the
    /// URL's consistency for every statement. Protocol v3 is not offered: the lake binds *unset*
    /// for empty fields (v4 and later), so that they leave no tombstones.
    private static func poolConfiguration(_ configuration: CassandraLakeConfiguration) throws -> CQLPoolConfiguration {
        var connection = CQLConnectionConfiguration(protocolVersions: [.v5, .v4], defaultConsistency: configuration.consistency)
        if let user = configuration.username {
            connection.setCredentials(username: user, password: configuration.password ?? "")
        }
        if let tls = configuration.tls {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            switch tls.verification {
            case .full: tlsConfiguration.certificateVerification = .fullVerification
            case .ca: tlsConfiguration.certificateVerification = .noHostnameVerification
            case .none: tlsConfiguration.certificateVerification = .none
            }
            if let caFile = tls.caFile {
                do {
                    tlsConfiguration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                } catch {
                    throw CassandraLakeError.invalidOption("ssl_ca", value: caFile, reason: "cannot read PEM certificates: \(error)")
                }
            }
            connection.tls = tlsConfiguration
        }
        return CQLPoolConfiguration(contactPoints: configuration.contactPoints, connection: connection)
    }
}

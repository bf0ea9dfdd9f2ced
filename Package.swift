// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "JobPulse",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "jobpulse", targets: ["jobpulse"])
    ],
    traits: [
        .default(enabledTraits: []),
        .trait(name: "MySQL", description: "The MySQL/MariaDB warehouse, through MariaDB Connector/C (Debian libmariadb-dev)."),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0", traits: []),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Tracking event, normalization rules, grain, metrics, aggregation. No I/O.
        .target(name: "JobPulseCore", path: "Sources/Core"),
        // The wall clock, read in one place and injected everywhere else.
        .target(name: "JobPulseClock", path: "Sources/Clock"),
        // What the numbers are for: budget pacing and bid advice, as rules over the warehouse's figures.
        .target(name: "JobPulseInsights", dependencies: ["JobPulseCore", "JobPulseWarehouse"], path: "Sources/Insights"),
        // Alerts: the rules evaluated after each commit, their state in the warehouse, and the
        // signed webhook notifications delivered at least once.
        .target(
            name: "JobPulseAlerts",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "JobPulseInsights", "JobPulseLake", "JobPulseWarehouse", "JobPulseETL",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Alerts"
        ),
        // Synthetic tracking traffic and job data, with its own count of what it produced.
        .target(name: "JobPulseGenerator", dependencies: ["JobPulseCore"], path: "Sources/Generator"),
        // zlib, which compresses the SQLite lake's raw fields (Debian zlib1g-dev, a Swift toolchain prerequisite).
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // MariaDB Connector/C, for the MySQL trait only: the default build never touches it.
        .systemLibrary(name: "CMariaDB", path: "Sources/CMariaDB", pkgConfig: "libmariadb", providers: [.apt(["libmariadb-dev"])]),
        // An async MySQL/MariaDB client over Connector/C; empty without the MySQL trait.
        .target(
            name: "MariaDBClient",
            dependencies: [
                .target(name: "CMariaDB", condition: .when(traits: ["MySQL"])),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/MariaDBClient"
        ),
        // A client for the Cassandra CQL native protocol (v5/v4/v3) on SwiftNIO; pure Swift.
        .target(
            name: "CQLClient",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CQLClient"
        ),
        // The raw event lake: EventLake protocol, its SQLite and Cassandra implementations.
        .target(
            name: "JobPulseLake",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "CQLClient", "CZlib", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Sources/Lake"
        ),
        // The warehouse: Warehouse protocol, schema, commit, dashboard queries; SQLite implementation.
        .target(
            name: "JobPulseWarehouse",
            dependencies: [
                "JobPulseCore", "JobPulseClock", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .target(name: "MariaDBClient", condition: .when(traits: ["MySQL"])),
            ],
            path: "Sources/Warehouse",
            resources: [.copy("SQL")]
        ),
        // The micro-batch CDC loop.
        .target(
            name: "JobPulseETL",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "JobPulseLake", "JobPulseWarehouse",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/ETL"
        ),
        // HTTP collector, dashboard, JSON API, /metrics, /healthz.
        .target(
            name: "JobPulseServer",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "JobPulseLake", "JobPulseWarehouse", "JobPulseETL", "JobPulseInsights", "JobPulseAlerts",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Server",
            resources: [.copy("Dashboard")]
        ),
        // What every entry point shares: settings from the environment, and storage made from URLs.
        .target(
            name: "JobPulseComposition",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "JobPulseLake", "JobPulseWarehouse",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/Composition"
        ),
        .executableTarget(
            name: "jobpulse",
            dependencies: [
                "JobPulseCore", "JobPulseLake", "JobPulseWarehouse", "JobPulseETL", "JobPulseServer", "JobPulseGenerator",
                "JobPulseComposition", "JobPulseClock", "JobPulseInsights", "JobPulseAlerts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/CLI"
        ),
        // Tests, one target per module, each with the module it tests and the support below.
        // The rules and parsers of Core alone, without I/O.
        .testTarget(name: "JobPulseCoreTests", dependencies: ["JobPulseCore"], path: "Tests/CoreTests"),
        // Pacing and advice, worked by hand.
        .testTarget(name: "JobPulseInsightsTests", dependencies: ["JobPulseInsights", "JobPulseCore"], path: "Tests/InsightsTests"),
        .testTarget(
            name: "JobPulseAlertsTests",
            dependencies: [
                "JobPulseAlerts", "JobPulseInsights", "JobPulseWarehouse", "JobPulseCore", "JobPulseClock", "JobPulseETL", "JobPulseTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/AlertsTests"
        ),
        .testTarget(
            name: "JobPulseLakeTests",
            dependencies: [
                "JobPulseLake", "JobPulseTestSupport", "JobPulseCore", "JobPulseClock", "JobPulseETL", "JobPulseWarehouse", "JobPulseGenerator",
                "CQLClient", "CassandraStandIn", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            path: "Tests/LakeTests"
        ),
        .testTarget(
            name: "JobPulseWarehouseTests",
            dependencies: [
                "JobPulseWarehouse", "JobPulseTestSupport", "JobPulseCore", "JobPulseLake", "JobPulseETL", "JobPulseGenerator", "JobPulseInsights",
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
                .target(name: "MariaDBClient", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/WarehouseTests"
        ),
        .testTarget(
            name: "JobPulseETLTests",
            dependencies: ["JobPulseETL", "JobPulseTestSupport", "JobPulseCore", "JobPulseLake", "JobPulseWarehouse", "JobPulseGenerator"],
            path: "Tests/ETLTests"
        ),
        .testTarget(
            name: "JobPulseServerTests",
            dependencies: [
                "JobPulseServer", "JobPulseTestSupport", "JobPulseCore", "JobPulseClock", "JobPulseLake", "JobPulseWarehouse", "JobPulseGenerator",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/ServerTests"
        ),
        .testTarget(
            name: "JobPulseCompositionTests",
            dependencies: [
                "JobPulseComposition", "JobPulseTestSupport", "JobPulseCore", "JobPulseLake", "JobPulseWarehouse",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/CompositionTests"
        ),
        // The `jobpulse` executable, run as a process: crashes, hostile input, browsers, outages.
        .testTarget(
            name: "JobPulseCLITests",
            dependencies: [
                "JobPulseTestSupport", "JobPulseCore", "JobPulseLake", "JobPulseWarehouse", "JobPulseInsights", "JobPulseClock", "JobPulseGenerator",
                "CassandraStandIn",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/CLITests"
        ),
        // What the tests share: temporary stores, the ground truth, `jobpulse` processes, the
        // stand-in Cassandra cluster, headless Chromium.
        .target(
            name: "JobPulseTestSupport",
            dependencies: [
                "JobPulseCore", "JobPulseClock", "JobPulseLake", "JobPulseWarehouse", "JobPulseETL", "JobPulseGenerator", "CQLClient",
                "CassandraStandIn", .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/TestSupport"
        ),
        // A single Cassandra node in memory that speaks the native protocol and runs the lake's
        // statements: the tests' stand-in for a Cassandra server (not part of the product).
        .target(
            name: "CassandraStandIn",
            dependencies: [
                "CQLClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/CassandraStandIn"
        ),
        // The stand-in as a process, for clients in other languages (the Spark engine's tests).
        .executableTarget(name: "cassandra-stand-in", dependencies: ["CassandraStandIn"], path: "Tests/CassandraStandInNode"),
        // Private MariaDB servers for the tests; empty without the MySQL trait.
        .target(
            name: "MariaDBTestSupport",
            dependencies: [.target(name: "MariaDBClient", condition: .when(traits: ["MySQL"]))],
            path: "Tests/MariaDBTestSupport"
        ),
        .testTarget(
            name: "CQLClientTests",
            dependencies: [
                "CQLClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            path: "Tests/CQLClientTests"
        ),
        .testTarget(
            name: "MariaDBClientTests",
            dependencies: [
                .target(name: "MariaDBClient", condition: .when(traits: ["MySQL"])),
                .target(name: "MariaDBTestSupport", condition: .when(traits: ["MySQL"])),
            ],
            path: "Tests/MariaDBClientTests"
        ),
    ]
)

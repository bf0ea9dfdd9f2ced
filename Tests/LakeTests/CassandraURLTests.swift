import CQLClient
import JobPulseCore
import JobPulseLake
import JobPulseTestSupport
import Testing

/// `cassandra://` URLs: several contact points, credentials, every option and its errors.
@Suite struct CassandraURLTests {
    func configuration(_ text: String) throws -> CassandraLakeConfiguration {
        try CassandraLakeConfiguration(url: try #require(StorageURL(text)))
    }

    @Test func severalContactPointsAndAHiddenPassword() throws {
        let url = try #require(StorageURL("cassandra://app:p%40ss%2Cw:rd@10.0.0.1:9042,db2,[fd00::7]:9142/JobPulse?consistency=quorum"))
        #expect(url.hosts == [StorageURL.Host(name: "10.0.0.1", port: 9042), StorageURL.Host(name: "db2"), StorageURL.Host(name: "fd00::7", port: 9142)])
        #expect(url.host == "10.0.0.1" && url.port == 9042)
        #expect(url.password == "p@ss,w:rd")
        #expect(url.description == "cassandra://app:***@10.0.0.1:9042,db2,[fd00::7]:9142/JobPulse?consistency=quorum")

        let configuration = try CassandraLakeConfiguration(url: url)
        #expect(
            configuration.contactPoints == [
                CQLEndpoint(host: "10.0.0.1", port: 9042), CQLEndpoint(host: "db2", port: 9042), CQLEndpoint(host: "fd00::7", port: 9142),
            ])
        #expect(configuration.username == "app" && configuration.password == "p@ss,w:rd")
        #expect(configuration.keyspace == "jobpulse")
        #expect(configuration.consistency == .quorum)
        #expect(!configuration.description.contains("p@ss"))
    }

    @Test func defaults() throws {
        let configuration = try configuration("cassandra://cassandra/jobpulse")
        #expect(configuration.contactPoints == [CQLEndpoint(host: "cassandra", port: 9042)])
        #expect(configuration.username == nil)
        #expect(configuration.replication == .simple(factor: 1))
        #expect(configuration.consistency == .localQuorum)
        #expect(configuration.tls == nil)
        #expect(configuration.bucketSeconds == 60 && !configuration.bucketSecondsGiven)
        #expect(configuration.safetyLagMilliseconds == 5_000)
        #expect(configuration.pageSize == 5_000)
        #expect(configuration.countLimit == 100_000)
        #expect(configuration.keyWindowMilliseconds == 86_400_000)
        #expect(configuration.claimLeaseMilliseconds == 4_000 && configuration.claimTakeoverMilliseconds == 20_000)
    }

    @Test func everyOption() throws {
        let configuration = try configuration(
            "cassandra://u:p@h1:9042,h2:9042/ks?replication=NetworkTopologyStrategy:dc1=3,dc-2=2&consistency=LOCAL_ONE"
                + "&ssl=required&ssl_ca=/etc/ca.pem&ssl_verify=ca&bucket_seconds=300&safety_lag_seconds=2.5&page_size=100&count_limit=10"
                + "&key_window_seconds=3600&claim_lease_seconds=1.5&claim_takeover_seconds=30")
        #expect(configuration.replication.cql == "{'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc-2': 2}")
        #expect(configuration.replication.description == "NetworkTopologyStrategy:dc1=3,dc-2=2")
        #expect(configuration.consistency == .localOne)
        #expect(configuration.tls == CassandraLakeConfiguration.TLS(caFile: "/etc/ca.pem", verification: .ca))
        #expect(configuration.bucketSeconds == 300 && configuration.bucketSecondsGiven)
        #expect(configuration.safetyLagMilliseconds == 2_500)
        #expect(configuration.pageSize == 100 && configuration.countLimit == 10)
        #expect(configuration.keyWindowMilliseconds == 3_600_000)
        #expect(configuration.claimLeaseMilliseconds == 1_500 && configuration.claimTakeoverMilliseconds == 30_000)
        #expect(
            try self.configuration("cassandra://h/ks?replication=SimpleStrategy:3").replication.cql
                == "{'class': 'SimpleStrategy', 'replication_factor': 3}")
    }

    /// Each bad value is refused with an error that names the option.
    @Test(arguments: [
        ("replication=SimpleStrategy", "replication"),
        ("replication=SimpleStrategy:0", "replication"),
        ("replication=NetworkTopologyStrategy:dc1", "replication"),
        ("replication=NetworkTopologyStrategy:dc'1=3", "replication"),
        ("replication=OldStrategy:1", "replication"),
        ("consistency=ANY", "consistency"),
        ("consistency=SERIAL", "consistency"),
        ("ssl=maybe", "ssl"),
        ("ssl_ca=/ca.pem", "ssl_ca"),
        ("ssl=required&ssl_verify=some", "ssl_verify"),
        ("bucket_seconds=0", "bucket_seconds"),
        ("bucket_seconds=90000", "bucket_seconds"),
        ("safety_lag_seconds=-1", "safety_lag_seconds"),
        ("page_size=none", "page_size"),
        ("count_limit=0", "count_limit"),
        ("bucket_second=60", "bucket_second"),
        ("key_window_seconds=0.5", "key_window_seconds"),
        ("claim_lease_seconds=-2", "claim_lease_seconds"),
        ("claim_lease_seconds=30", "claim_takeover_seconds"),
        ("claim_lease_seconds=5&claim_takeover_seconds=5", "claim_takeover_seconds"),
    ])
    func badOptionsAreNamed(query: String, option: String) throws {
        let error = #expect(throws: CassandraLakeError.self) { try configuration("cassandra://h/ks?" + query) }
        #expect(error?.description.contains("option \(option)=") == true, "\(error.map(String.init(describing:)) ?? "")")
    }

    @Test func aURLWithoutHostOrKeyspaceIsRefused() throws {
        #expect(throws: CassandraLakeError.self) { try configuration("cassandra:///ks") }
        #expect(throws: CassandraLakeError.self) { try configuration("cassandra://h:9042") }
        #expect(throws: CassandraLakeError.self) { try configuration("cassandra://h/bad-name") }
        #expect(StorageURL("cassandra://h1,,h2/ks") == nil)
        #expect(StorageURL("cassandra://h1:0/ks") == nil)
        #expect(StorageURL("cassandra://[fd00::1/ks") == nil)
    }
}

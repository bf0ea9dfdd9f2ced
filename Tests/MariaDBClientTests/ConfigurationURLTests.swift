#if MySQL
import MariaDBClient
import MariaDBTestSupport
import Testing

@Suite("Configuration URL", .timeLimit(.minutes(10)))
struct ConfigurationURLTests {
    @Test func parsesEveryPart() throws {
        let url =
            "mysql://app:s3cret@db.example.com:3307/warehouse"
            + "?ssl=required&connect_timeout=7&read_timeout=30&write_timeout=15"
        let configuration = try MariaDBConfiguration(url: url)
        #expect(configuration.host == "db.example.com")
        #expect(configuration.port == 3307)
        #expect(configuration.user == "app")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == "warehouse")
        #expect(configuration.tls == .required)
        #expect(configuration.connectTimeout == .seconds(7))
        #expect(configuration.readTimeout == .seconds(30))
        #expect(configuration.writeTimeout == .seconds(15))
    }

    @Test func appliesDefaults() throws {
        let configuration = try MariaDBConfiguration(url: "mariadb://app@127.0.0.1")
        #expect(configuration.port == 3306)
        #expect(configuration.password == "")
        #expect(configuration.database == nil)
        #expect(configuration.tls == .preferred)
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.readTimeout == nil)
        #expect(configuration.writeTimeout == nil)
    }

    @Test(arguments: MariaDBTLSMode.allCases)
    func parsesEachSSLMode(mode: MariaDBTLSMode) throws {
        let configuration = try MariaDBConfiguration(url: "mysql://app:pw@host/db?ssl=\(mode.rawValue)")
        #expect(configuration.tls == mode)
    }

    @Test func parsesTheCAFile() throws {
        let configuration = try MariaDBConfiguration(
            url: "mysql://app:pw@host/db?ssl=required&ssl_ca=%2Fetc%2Fssl%2Fca.pem")
        #expect(configuration.tlsCAFile == "/etc/ssl/ca.pem")
        #expect(
            configuration.description
                == "mysql://app:***@host:3306/db?ssl=required&ssl_ca=/etc/ssl/ca.pem&connect_timeout=10")
    }

    @Test func percentDecodesUserPasswordAndDatabase() throws {
        let configuration = try MariaDBConfiguration(
            url: "mysql://us%40er:p%40ss%3Aw%2Fo%3Frd%25+%F0%9F%94%91@host:3306/my%20db"
        )
        #expect(configuration.user == "us@er")
        #expect(configuration.password == "p@ss:w/o?rd%+🔑")
        #expect(configuration.database == "my db")
    }

    @Test func parsesBracketedIPv6Host() throws {
        let configuration = try MariaDBConfiguration(url: "mysql://app:pw@[::1]:3310/db")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 3310)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let password = "Sup3r-S3cret"
        let configuration = try MariaDBConfiguration(url: "mysql://app:\(password)@db.example.com:3306/wh?ssl=required")
        #expect(configuration.description == "mysql://app:***@db.example.com:3306/wh?ssl=required&connect_timeout=10")
        #expect(!"\(configuration)".contains(password))
        #expect(!String(reflecting: configuration).contains(password))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains(password))
    }

    @Test(arguments: [
        ("postgres://app:pw@host/db", MariaDBConfigurationError.unsupportedScheme),
        ("host:3306/db", .unsupportedScheme),
        ("mysql://app:pw@/db", .missingHost),
        ("mysql://host:3306/db", .missingUser),
        ("mysql://:pw@host/db", .missingUser),
        ("mysql://app:pw@host:99999/db", .invalidPort("99999")),
        ("mysql://app:pw@host:abc/db", .invalidPort("abc")),
        ("mysql://app:p%4@host/db", .invalidPercentEncoding(component: "password")),
        ("mysql://app:p%FF@host/db", .invalidPercentEncoding(component: "password")),
        ("mysql://app:pw@host/db?ssl=maybe", .invalidParameterValue(name: "ssl", value: "maybe")),
        ("mysql://app:pw@host/db?connect_timeout=0", .invalidParameterValue(name: "connect_timeout", value: "0")),
        ("mysql://app:pw@host/db?sslmode=required", .unknownParameter("sslmode")),
        (
            "mysql://app:pw@host/db?ssl=disabled&ssl_ca=/ca.pem",
            .invalidParameterValue(name: "ssl_ca", value: "/ca.pem")
        ),
    ])
    func rejectsInvalidURLs(url: String, expected: MariaDBConfigurationError) {
        #expect(throws: expected) { try MariaDBConfiguration(url: url) }
    }
}
#endif

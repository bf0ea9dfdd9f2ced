import Logging
import NIOCore

@testable import CQLClient

/// Response bodies for the scripted peer, written byte by byte from the specification.
enum Recorded {
    /// AUTHENTICATE: [string] naming Cassandra's PasswordAuthenticator.
    static let passwordAuthenticator = """
        002f 6f72672e6170616368652e63617373616e6472612e617574682e50617373776f726441757468656e74696361746f72
        """
    /// AUTH_SUCCESS with a null token.
    static let authSuccess = "ffffffff"
    /// ERROR 0x0100 Authentication error, "bad credentials".
    static let badCredentials = "00000100 000f 6261642063726564656e7469616c73"
    /// RESULT Void.
    static let void = "00000001"
    /// RESULT Set_keyspace "ks".
    static let keyspaceSet = "00000003 0002 6b73"
    /// RESULT Rows of ks.users (id int, name text), first page: (1, ann), (2, bob), paging state "p1".
    static let usersPage1 = """
        00000002
        00000003 00000002
        00000002 7031
        0002 6b73 0005 7573657273
        0002 6964 0009
        0004 6e616d65 000d
        00000002
        00000004 00000001  00000003 616e6e
        00000004 00000002  00000003 626f62
        """
    /// RESULT Rows of ks.users, last page: (3, cyd).
    static let usersPage2 = """
        00000002
        00000001 00000002
        0002 6b73 0005 7573657273
        0002 6964 0009
        0004 6e616d65 000d
        00000001
        00000004 00000003  00000003 637964
        """
    /// RESULT Prepared for "SELECT name FROM users WHERE id = ?": id 01020304,
    /// one bind marker (id int, partition key), result column name text.
    static let preparedSelectName = """
        00000004
        0004 01020304
        00000001 00000001
        00000001 0000
        0002 6b73 0005 7573657273
        0002 6964 0009
        00000001 00000001
        0002 6b73 0005 7573657273
        0004 6e616d65 000d
        """
    /// RESULT Rows of ks.users (name text): ann.
    static let nameAnn = """
        00000002
        00000001 00000001
        0002 6b73 0005 7573657273
        0004 6e616d65 000d
        00000001
        00000003 616e6e
        """
    /// ERROR 0x2500 Unprepared, "unknown statement", id 01020304.
    static let unprepared = "00002500 0011 756e6b6e6f776e2073746174656d656e74 0004 01020304"
    /// ERROR 0x2200 Invalid, "unconfigured table nope".
    static let unconfiguredTable = "00002200 0017 756e636f6e66696775726564207461626c65206e6f7065"
    /// ERROR 0x1001 Overloaded, "overloaded".
    static let overloaded = "00001001 000a 6f7665726c6f61646564"

    /// [long string] "SELECT * FROM users".
    static let selectUsers = "00000013 53454c454354202a2046524f4d207573657273"
    /// [long string] "SELECT name FROM users WHERE id = ?".
    static let selectNameByID = "00000023 53454c454354206e616d652046524f4d207573657273205748455245206964203d203f"
}

/// A logger that drops everything, for tests that do not look at logs.
let silentLogger = Logger(label: "cql.test", factory: { _ in SwiftLogNoOpLogHandler() })

/// Connection settings for tests: v4 only unless a test says otherwise. The timeouts are long:
/// they are not what these tests check (a test of a timeout sets its own), and a peer on a busy
/// machine can take seconds to answer.
func testConfiguration(
    versions: [CQLProtocolVersion] = [.v4],
    configure: (inout CQLConnectionConfiguration) -> Void = { _ in }
) -> CQLConnectionConfiguration {
    var configuration = CQLConnectionConfiguration(
        protocolVersions: versions,
        connectTimeout: .seconds(30),
        requestTimeout: .seconds(30),
        closeGracePeriod: .seconds(1)
    )
    configure(&configuration)
    return configuration
}

/// The [long string] text of a QUERY request.
func queryText(of frame: CQLFrame) -> String {
    var body = frame.body
    let length = body.readInteger(as: Int32.self) ?? 0
    return body.readString(length: Int(length)) ?? ""
}

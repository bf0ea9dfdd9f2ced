import CassandraStandIn
import Foundation

/// `cassandra-stand-in [--user U --password P]`: starts one stand-in node on a free loopback
/// port, prints `listening on 127.0.0.1:<port>` and serves until its standard input closes (so
/// that it never outlives the test that started it).
let arguments = CommandLine.arguments.dropFirst()
func value(of option: String) -> String? {
    guard let index = arguments.firstIndex(of: option), arguments.index(after: index) < arguments.endIndex else { return nil }
    return arguments[arguments.index(after: index)]
}
let credentials = value(of: "--user").flatMap { user in value(of: "--password").map { (user: user, password: $0) } }
let node = try await CassandraStandIn.start(credentials: credentials)
FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(node.port)\n".utf8))
while let line = readLine(strippingNewline: true) { _ = line }
await node.stop()

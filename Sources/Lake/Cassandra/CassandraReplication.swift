/// How the lake's keyspace is replicated, from the URL option `replication`:
/// `SimpleStrategy:3` or `NetworkTopologyStrategy:dc1=3,dc2=3`.
public enum CassandraReplication: Sendable, Hashable, CustomStringConvertible {
    case simple(factor: Int)
    /// Replicas per datacenter, in the order given.
    case networkTopology([DatacenterFactor])

    public struct DatacenterFactor: Sendable, Hashable {
        public var datacenter: String
        public var factor: Int
    }

    /// Parses the option's value; the error says what is wrong with it.
    public init(option text: String) throws {
        func invalid(_ reason: String) -> CassandraLakeError {
            .invalidOption("replication", value: text, reason: reason)
        }
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else {
            throw invalid("expected SimpleStrategy:<factor> or NetworkTopologyStrategy:<dc>=<factor>,…")
        }
        switch parts[0].lowercased() {
        case "simplestrategy":
            guard let factor = Int(parts[1]), factor > 0 else { throw invalid("the replication factor must be a positive integer") }
            self = .simple(factor: factor)
        case "networktopologystrategy":
            var factors: [DatacenterFactor] = []
            for entry in parts[1].split(separator: ",", omittingEmptySubsequences: false) {
                let pair = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                guard pair.count == 2, let factor = Int(pair[1]), factor > 0 else {
                    throw invalid("\"\(entry)\" is not <datacenter>=<positive factor>")
                }
                guard !pair[0].isEmpty, pair[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_-.".contains($0)) }) else {
                    throw invalid("datacenter name \"\(pair[0])\" may only hold letters, digits, _ - and .")
                }
                guard !factors.contains(where: { $0.datacenter == pair[0] }) else { throw invalid("datacenter \(pair[0]) is given twice") }
                factors.append(DatacenterFactor(datacenter: pair[0], factor: factor))
            }
            self = .networkTopology(factors)
        default:
            throw invalid("unknown strategy \"\(parts[0])\" (SimpleStrategy or NetworkTopologyStrategy)")
        }
    }

    /// The replication map of `CREATE KEYSPACE`.
    public var cql: String {
        switch self {
        case .simple(let factor):
            "{'class': 'SimpleStrategy', 'replication_factor': \(factor)}"
        case .networkTopology(let factors):
            "{'class': 'NetworkTopologyStrategy'" + factors.map { ", '\($0.datacenter)': \($0.factor)" }.joined() + "}"
        }
    }

    public var description: String {
        switch self {
        case .simple(let factor): "SimpleStrategy:\(factor)"
        case .networkTopology(let factors):
            "NetworkTopologyStrategy:" + factors.map { "\($0.datacenter)=\($0.factor)" }.joined(separator: ",")
        }
    }
}

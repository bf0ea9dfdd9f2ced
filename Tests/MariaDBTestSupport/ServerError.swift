#if MySQL
/// Why a private test server could not be set up.
public enum ServerError: Error, CustomStringConvertible {
    case notInstalled
    case noFreePort
    case programFailed(program: String, status: Int32, output: String)
    case serverDidNotStart(log: String)

    public var description: String {
        switch self {
        case .notInstalled:
            "mariadbd is not installed"
        case .noFreePort:
            "no free TCP port on 127.0.0.1"
        case .programFailed(let program, let status, let output):
            "\(program) exited with status \(status): \(output)"
        case .serverDidNotStart(let log):
            "mariadbd did not start; end of its error log:\n\(log)"
        }
    }
}
#endif

import Configuration

/// JobPulse's settings that do not come from the command line: the `JOBPULSE_*` environment
/// variables, read through one `ConfigReader`.
///
/// Every command, the server, the tests and the bench resolve a setting the same way: the flag
/// when one is given, else its variable, else the default. Tests give a dictionary instead of
/// the process's environment. Variables that hold secrets are marked so, and the reader never
/// shows their values.
public struct JobPulseSettings: Sendable {
    /// Every variable JobPulse reads, by the key it is read with (`JOBPULSE_DATA_DIR` is
    /// `jobpulse.dataDir`).
    public enum Variable: String, CaseIterable, Sendable {
        case dataDir, lake, warehouse, logLevel, maxFuture
        case host, port, maxBody, apiKeys, dashboardUser, dashboardPassword, headerTimeout, bodyTimeout, idleTimeout
        case sparkMaster, sparkSubmit, sparkJob, sparkJars
        case alertWebhooks, alertSecret
        case crashAt

        /// The name in the environment, e.g. `JOBPULSE_DATA_DIR`.
        public var environmentName: String {
            "JOBPULSE_"
                + rawValue.reduce(into: "") { name, character in
                    if character.isUppercase { name.append("_") }
                    name.append(character.uppercased())
                }
        }

        var key: String { "jobpulse." + rawValue }

        /// Whether the value (or part of it, a URL's password) is a secret.
        var isSecret: Bool { [.lake, .warehouse, .apiKeys, .dashboardPassword, .alertWebhooks, .alertSecret].contains(self) }
    }

    private let reader: ConfigReader

    /// The settings of this process's environment.
    public static var process: JobPulseSettings {
        JobPulseSettings(reader: ConfigReader(provider: EnvironmentVariablesProvider()))
    }

    /// Settings from `environment` instead of the process's.
    public init(environment: [String: String]) {
        self.init(reader: ConfigReader(provider: EnvironmentVariablesProvider(environmentVariables: environment)))
    }

    private init(reader: ConfigReader) {
        self.reader = reader
    }

    /// The variable's value, nil when it is not set.
    public subscript(_ variable: Variable) -> String? {
        reader.string(forKey: ConfigKey(variable.key), isSecret: variable.isSecret)
    }
}

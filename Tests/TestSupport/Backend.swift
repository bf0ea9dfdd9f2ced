import Testing

#if MySQL
import MariaDBTestSupport
#endif

/// The warehouses the pipeline's tests run against: always SQLite, and MySQL (a private
/// MariaDB server) when the package is built with the MySQL trait.
package enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    #if MySQL
    case mysql
    #endif

    package var testDescription: String { rawValue }
}

/// Runs a suite inside a private MariaDB server when the MySQL backend is built, so that its
/// tests can use ``Backend/mysql``; without it, runs the suite as it is.
package struct MariaDBWhenBuilt: SuiteTrait, TestScoping {
    package init() {}

    package func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        #if MySQL
        try await SharedServerTrait().provideScope(for: test, testCase: testCase, performing: function)
        #else
        try await function()
        #endif
    }
}

extension Trait where Self == MariaDBWhenBuilt {
    package static var mariaDBWhenBuilt: Self { MariaDBWhenBuilt() }
}

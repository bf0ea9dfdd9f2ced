#if MySQL
import MariaDBTestSupport
import Testing

/// The tests that share one private MariaDB server. They live in nested suites, in extensions
/// of this type across files; each uses its own tables, so they can run in parallel.
@Suite(
    .sharedServer,
    .enabled(if: ServerTools.installed != nil, Comment(rawValue: ServerTools.missingMessage)),
    .timeLimit(.minutes(10))
)
struct SharedServerTests {}
#endif

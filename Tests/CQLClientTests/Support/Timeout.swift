struct TestTimedOut: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "test did not finish within \(limit)" }
}

/// Runs `body`, failing with `TestTimedOut` if it takes longer than `limit`.
func withTimeout<T: Sendable>(
    _ limit: Duration = .seconds(60),
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw TestTimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Polls `condition` until it holds, failing with `TestTimedOut` after `limit`: a ceiling for a
/// condition that never comes, generous because the whole suite shares two cores.
func eventually(
    _ limit: Duration = .seconds(30),
    _ condition: @escaping @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw TestTimedOut(limit: limit) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

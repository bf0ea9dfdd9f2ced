struct ConditionTimedOut: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "condition not met within \(limit)" }
}

/// Polls `condition` until it holds, failing with `ConditionTimedOut` after `limit`: a ceiling for a
/// condition that never comes, generous because the whole suite shares two cores.
func eventually(
    _ limit: Duration = .seconds(120),
    _ condition: @escaping @Sendable () async -> Bool
) async throws {
    let deadline = ContinuousClock.now + limit
    while !(await condition()) {
        guard ContinuousClock.now < deadline else { throw ConditionTimedOut(limit: limit) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

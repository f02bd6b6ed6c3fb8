/// Waiting for what the app does in the background (the audit writer, the uploads' reason
/// codes, the deferred features, the model watcher, the challenger's shadow). The whole suite
/// runs at once on two cores, where each test takes minutes of wall time: a deadline of a few
/// seconds fails tests that are right, so the bound here only ends a wait that would never end.
enum Eventually {
    static let patience: Duration = .seconds(300)

    /// Calls `attempt` until `done` accepts what it returns, or `patience` has passed; returns
    /// the last answer either way, for the caller to check.
    static func poll<Answer>(
        every interval: Duration = .milliseconds(100), _ attempt: () async throws -> Answer, until done: (Answer) -> Bool
    ) async throws -> Answer {
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        var answer = try await attempt()
        while !done(answer), clock.now < deadline {
            try await Task.sleep(for: interval)
            answer = try await attempt()
        }
        return answer
    }
}

/// How a proposal runs its independent subproblems: one after another (``SerialTaskRunner``,
/// the default), or several at once where the caller brings threads (the Workflows module's
/// runner over libdispatch). Each subproblem is seeded from its own units (``SubproblemSeed``),
/// reads only shared inputs and returns its own result, and the results are taken in index
/// order, so the plan is byte-identical whichever runner is used.
public protocol TaskRunner: Sendable {
    /// `[body(0), …, body(count − 1)]`; the calls may run at once on several threads.
    /// `finished(done)` is called after each call ends, one at a time, with how many have.
    func map<T: Sendable>(_ count: Int, finished: @Sendable (Int) -> Void, _ body: @Sendable (Int) -> T) -> [T]
}

/// The calls one after another, in index order, on the caller's thread.
public struct SerialTaskRunner: TaskRunner {
    public init() {}

    public func map<T: Sendable>(_ count: Int, finished: @Sendable (Int) -> Void, _ body: @Sendable (Int) -> T)
        -> [T]
    {
        (0..<max(0, count)).map { i in
            defer { finished(i + 1) }
            return body(i)
        }
    }
}

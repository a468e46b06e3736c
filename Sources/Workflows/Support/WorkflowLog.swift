/// Where a workflow reports what it is doing (progress steps and counts) and what a user should
/// know about the result (notes). The CLI prints steps and progress bars on a terminal, plain
/// progress lines otherwise, and notes on stderr; tests collect them.
public struct WorkflowLog: Sendable {
    public var step: @Sendable (String) -> Void
    public var note: @Sendable (String) -> Void
    /// `(task, done, total)` while a long step advances (subproblems, scenarios, service types).
    public var progress: @Sendable (_ task: String, _ done: Int, _ total: Int) -> Void

    public init(
        step: @escaping @Sendable (String) -> Void, note: @escaping @Sendable (String) -> Void,
        progress: @escaping @Sendable (_ task: String, _ done: Int, _ total: Int) -> Void = { _, _, _ in }
    ) {
        self.step = step
        self.note = note
        self.progress = progress
    }

    /// Says nothing.
    public static let silent = WorkflowLog(step: { _ in }, note: { _ in })
}

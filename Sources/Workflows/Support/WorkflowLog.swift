/// Where a workflow reports what it is doing (progress steps) and what a user should know
/// about the result (notes). The CLI prints steps on a terminal and notes on stderr; tests
/// collect them.
public struct WorkflowLog: Sendable {
    public var step: @Sendable (String) -> Void
    public var note: @Sendable (String) -> Void

    public init(step: @escaping @Sendable (String) -> Void, note: @escaping @Sendable (String) -> Void) {
        self.step = step
        self.note = note
    }

    /// Says nothing.
    public static let silent = WorkflowLog(step: { _ in }, note: { _ in })
}

import Dispatch
import Foundation
import GIS
import Planning

/// Runs a proposal's independent subproblems on every core (`DispatchQueue.concurrentPerform`):
/// the cities' distritos side by side, each distrito's circuitos on whichever core is free.
/// Results come back in index order (``TaskSlots``), and each subproblem is seeded from its own
/// units, so the plan is byte-identical to the serial runner's. CBC's solves still run one at
/// a time (its lock); GLPK keeps its environment per thread. Not to be nested in another
/// `concurrentPerform`.
public struct DispatchTaskRunner: TaskRunner {
    public init() {}

    public func map<T: Sendable>(_ count: Int, finished: @Sendable (Int) -> Void, _ body: @Sendable (Int) -> T)
        -> [T]
    {
        guard count > 1 else { return SerialTaskRunner().map(count, finished: finished, body) }
        let slots = TaskSlots<T>(count: count)
        let progress = FinishedCount()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            slots.set(i, body(i))
            progress.add(finished)
        }
        // Every task wrote its slot; a missing one (none) is computed here rather than trapped.
        return slots.values.enumerated().map { i, value in value ?? body(i) }
    }
}

/// How many tasks have finished, told to `finished` one at a time under a lock.
private final class FinishedCount: @unchecked Sendable {
    private var done = 0
    private let lock = NSLock()

    func add(_ finished: @Sendable (Int) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        done += 1
        finished(done)
    }
}

import Foundation
import GIS
import Planning

/// Runs a proposal's independent subproblems on every core (GIS's
/// ``parallelMap(count:grain:tasksPerCore:_:)``, one task per subproblem, so a core takes the
/// next as it frees up): the cities' distritos side by side, each distrito's circuitos on
/// whichever core is free. Results keep the index order, and each subproblem is seeded from its
/// own units, so the plan is byte-identical to the serial runner's. CBC's solves still run one
/// at a time (its lock); GLPK keeps its environment per thread. Not to be nested in another
/// `concurrentPerform`.
public struct DispatchTaskRunner: TaskRunner {
    public init() {}

    public func map<T: Sendable>(_ count: Int, finished: @Sendable (Int) -> Void, _ body: @Sendable (Int) -> T)
        -> [T]
    {
        let progress = FinishedCount()
        return parallelMap(count: count, grain: 1, tasksPerCore: max(1, count)) { i in
            let result = body(i)
            progress.add(finished)
            return result
        }
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

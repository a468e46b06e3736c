import Foundation

/// PROJ contexts lent to parallel tasks, one task at a time each (contexts are
/// single-threaded). Seeded with the caller's context and its kept helpers
/// (``ProjContext/helperContexts(_:)``), one per core; a task that finds none free gets a new
/// one, returned to the pool afterwards. The caller must not use its context until the
/// parallel loop has ended.
final class ProjContextPool: @unchecked Sendable {
    private var free: [ProjContext]
    private let lock = NSLock()

    init(seed: ProjContext) {
        let helpers = (try? seed.helperContexts(ProcessInfo.processInfo.activeProcessorCount - 1)) ?? []
        free = [seed] + helpers
    }

    /// Runs `body` with a context no other task holds meanwhile.
    func withContext<R>(_ body: (ProjContext) throws -> R) throws -> R {
        lock.lock()
        let lent = free.popLast()
        lock.unlock()
        let context = try lent ?? ProjContext()
        defer {
            lock.lock()
            free.append(context)
            lock.unlock()
        }
        return try body(context)
    }
}

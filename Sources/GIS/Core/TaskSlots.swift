import Foundation

/// One slot per parallel task (`DispatchQueue.concurrentPerform`), each written by exactly
/// one task and read once the tasks have ended; a lock guards the slots. The one place
/// results and errors cross from tasks back to their caller.
final class TaskSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ task: Int, _ value: T) {
        lock.lock()
        slots[task] = value
        lock.unlock()
    }

    /// The slots in task order (nil where a task wrote nothing).
    var values: [T?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

import Foundation

/// A computation started now on a thread of its own and joined later with ``value()``: two
/// independent reads (a registry and a polygon layer) overlap instead of queueing. The
/// thread is a plain `Thread`, not a dispatch worker, so parallel loops inside either side
/// stay top-level loops (libdispatch runs a `concurrentPerform` nested in another one
/// serially). The result is read only after the thread has signalled, so no lock is needed
/// beyond the semaphore.
public final class BackgroundTask<T: Sendable>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts `body` at once (stack of 8 MiB, as the main thread's). `idle`: at the lowest
    /// scheduling priority (nice 19 for this thread alone, `setpriority`), so it runs on cores the
    /// rest of the process leaves idle instead of slowing it — for work wanted later.
    public init(idle: Bool = false, _ body: @escaping @Sendable () throws -> T) {
        let thread = Thread { [self] in
            // On Linux a nice value belongs to a thread: `who` 0 is the calling thread.
            if idle { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19) }
            result = Result { try body() }
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits until the body has finished, whatever it returned. A caller leaving on an error
    /// waits too: the process may exit next, and C libraries' static destructors must not run
    /// under a read still working in them.
    public func wait() {
        finished.wait()
        finished.signal()
    }

    /// Waits for the result; rethrows the body's error. May be called more than once.
    public func value() throws -> T {
        finished.wait()
        defer { finished.signal() }
        guard let result else {
            throw GISError(.operation, operation: "background task", message: "finished without a result")
        }
        return try result.get()
    }
}

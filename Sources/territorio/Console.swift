import Foundation
import Workflows

/// stdout/stderr for the commands. Both go straight to their file descriptors with
/// `write(2)`, so a failed write (a full disk, a closed pipe) is seen: ``Console/finish()``
/// reports it and the tool exits 2 instead of claiming success.
enum Console {
    nonisolated(unsafe) private static var outputFailed: Int32 = 0
    private static let lock = NSLock()

    static func error(_ message: String) {
        write(STDERR_FILENO, "territorio: " + message + "\n")
    }

    static func note(_ message: String) {
        write(STDERR_FILENO, message + "\n")
    }

    /// Standard output (every `print` of the tool comes here, see below).
    static func out(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
        if let failure = write(STDOUT_FILENO, text), outputFailed == 0 { outputFailed = failure }
    }

    /// Writes all of `text`; the errno of a failure, or nil.
    @discardableResult
    private static func write(_ fd: Int32, _ text: String) -> Int32? {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return errno == 0 ? EIO : errno }
            offset += n
        }
        bytes.removeAll()
        return nil
    }

    /// Progress steps on stderr when it is a terminal and `--quiet` is not given; notes always.
    static func log(quiet: Bool) -> WorkflowLog {
        let progress = Progress(quiet: quiet)
        let bar = ProgressBar(quiet: quiet)
        return WorkflowLog(
            step: { progress.step($0) }, note: { Console.note($0) }, progress: { bar.update($0, $1, $2) })
    }

    /// The error text of a failed write to stdout, or nil when every write succeeded.
    static func finish() -> String? {
        lock.lock()
        defer { lock.unlock() }
        return outputFailed == 0 ? nil : String(cString: strerror(outputFailed))
    }
}

/// The tool's `print`: shadows the standard library's within this module so every line goes
/// through ``Console/out(_:)`` and a write error is caught.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Console.out(items.map { "\($0)" }.joined(separator: separator) + terminator)
}

/// Step-by-step progress on stderr, with the seconds elapsed since the command started,
/// shown only when stderr is a terminal and `--quiet` is not given.
struct Progress: Sendable {
    let enabled: Bool
    /// When the process started (the first use of `Progress`).
    static let start = DispatchTime.now().uptimeNanoseconds

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
        _ = Self.start
    }

    func step(_ message: String) {
        guard enabled else { return }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - Self.start) / 1e9
        Console.note("… [\(String(format: "%6.2f s", elapsed))] \(message)")
    }
}

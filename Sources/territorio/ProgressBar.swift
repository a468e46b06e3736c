import Foundation

/// Progress of a long step (subproblems, scenarios, service types) on stderr: on a terminal, a
/// bar redrawn in place with the count and the seconds since the command started; otherwise
/// plain lines at each quarter and at the end (for logs); nothing with `--quiet`.
final class ProgressBar: @unchecked Sendable {
    private let quiet: Bool
    private let terminal: Bool
    private let lock = NSLock()
    private var lastDrawn = 0.0
    private var lastQuarter: (task: String, quarter: Int)?
    private var open = false

    static let width = 28
    /// Fewer redraws than this apart (seconds) are skipped, except the last.
    static let redrawInterval = 0.1

    init(quiet: Bool) {
        self.quiet = quiet
        terminal = isatty(STDERR_FILENO) == 1
        _ = Progress.start
    }

    /// `task` has `done` of `total` items finished. The task's name before " (" is what plain
    /// lines group by (the part in brackets names the current item).
    func update(_ task: String, _ done: Int, _ total: Int) {
        guard !quiet, total > 0 else { return }
        let done = max(0, min(total, done))
        lock.lock()
        defer { lock.unlock() }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - Progress.start) / 1e9
        if terminal {
            guard done == total || elapsed - lastDrawn >= Self.redrawInterval || !open else { return }
            lastDrawn = elapsed
            let filled = Self.width * done / total
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: Self.width - filled)
            let line = "… [\(String(format: "%6.2f s", elapsed))] \(bar) \(done)/\(total) \(task)"
            // \r and erase to the end of the line (ECMA-48 EL), then the line without a newline.
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
            open = done < total
            if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let name = task.split(separator: " (", maxSplits: 1).first.map(String.init) ?? task
            let quarter = 4 * done / total
            guard done > 0, lastQuarter.map({ $0.task != name || $0.quarter < quarter }) ?? true else { return }
            lastQuarter = (name, quarter)
            guard done == total || quarter > 0 else { return }
            Console.note(
                "\(name): \(done)/\(total) (\(100 * done / total) %), \(String(format: "%.1f", elapsed)) s")
        }
    }
}

import Foundation

/// stdout/stderr helpers and the progress line.
enum Console {
    static func error(_ message: String) {
        FileHandle.standardError.write(Data(("territorio: " + message + "\n").utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// Step-by-step progress on stderr, shown only when stderr is a terminal and `--quiet` is
/// not given.
struct Progress {
    let enabled: Bool

    init(quiet: Bool) {
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    func step(_ message: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("… \(message)\n".utf8))
    }
}

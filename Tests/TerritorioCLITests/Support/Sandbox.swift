import Foundation
import Testing

/// Runs the tool as a hostile input would meet it: stdout and stderr to files (no pipe can
/// fill and block), a wall-clock limit after which the process is killed, an address-space
/// limit (`ulimit -v`, 2 GiB by default: an allocation beyond it fails, and the tool dies on a
/// signal the test sees), and the way it ended (exit code or signal) kept apart.
enum Sandbox {
    /// The bound: no case may need more than 2 GiB.
    static let memoryLimitKiB = 2 * 1024 * 1024

    struct Outcome {
        var status: Int32
        /// True when the process ended on a signal (a trap, an abort, a kill).
        var signalled: Bool
        var timedOut: Bool
        var stderr: String
    }

    static func run(
        _ arguments: [String], seconds: Double = 60, stdout: String? = nil, memoryLimitKiB: Int = memoryLimitKiB
    ) throws -> Outcome {
        let process = Process()
        // sh sets the limit and execs the tool, so the signal, status and limit are the tool's.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments =
            ["-c", "ulimit -v \(memoryLimitKiB) && exec \"$0\" \"$@\"", try CLI.binary("territorio")] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
        let errPath = NSTemporaryDirectory() + "territorio-err-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardError = err
        if let stdout {
            process.standardOutput = FileHandle(forWritingAtPath: stdout)
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                process.waitUntilExit()
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        try err.close()
        let text = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Outcome(
            status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut, stderr: text)
    }

    /// Every file under `folder`, relative, sorted (hidden ones included).
    static func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter { name in
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &dir) && !dir.boolValue
        }.sorted()
    }
}

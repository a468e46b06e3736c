import ArgumentParser
import Foundation
import GIS
import Workflows

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs a whole analysis kept in a project file and writes its manifest.",
        discussion: """
            The project (JSON) holds the inputs, the parameters and the steps to run — any
            territorio command with its arguments, in order: inspect → access → propose/validate →
            deficit/place/schedule → map → report. Paths are relative to the project file; {name}
            is an input and {out} the output folder; "table_dialect" is the default of every step
            writing tables; "may_fail": true lets a failed check (exit 1) go on; "stdout" sends a
            step's output to a file. Everything is checked before the first step. At the end,
            OUT/manifest.json records the tool version, the SHA-256 of the project and of every
            input (shapefiles with their .shx, .dbf, .prj, .cpg), each step's arguments (the seed
            made explicit) and exit code, and the SHA-256 of every output: run it again and compare.
            Exit code: 0, or 1 when a check failed, or the failing step's code.
            Examples:
              territorio run Data/demo/analysis.json
            """)

    @Argument(help: "The project file (.json).")
    var project: String

    @Flag(help: "Check the project and print the steps without running them.")
    var dryRun = false

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    func run() throws {
        let file = try ProjectFile.read(project)
        if dryRun {
            for step in file.steps { print(([step.command] + step.args).joined(separator: " ")) }
            return
        }
        try FileManager.default.createDirectory(atPath: file.out, withIntermediateDirectories: true)
        // Relative paths in arguments are the project's: run from its folder.
        let previous = FileManager.default.currentDirectoryPath
        _ = DataFiles.launchFolder  // shipped tables are still found from where the tool started
        guard FileManager.default.changeCurrentDirectoryPath(file.folder) else {
            throw ValidationError("cannot enter the project's folder \(file.folder)")
        }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previous) }
        var manifest = RunManifest(tool: ToolVersion.text, project: file)
        var failedCheck = false
        let progress = Progress(quiet: quiet)
        for (k, step) in file.steps.enumerated() {
            progress.step("step \(k + 1)/\(file.steps.count): \(step.command)")
            var args = step.args
            if quiet,
                [
                    "access", "check", "propose", "deficit", "place", "cost", "schedule", "map", "report", "locate",
                    "locate-facilities", "validate", "compare", "repair", "convert", "dissolve", "neighbours",
                    "inspect",
                ]
                .contains(step.command), !args.contains("--quiet")
            {
                args.append("--quiet")
            }
            let code = try Self.runStep([step.command] + args, stdout: step.stdout)
            manifest.steps.append(RunManifest.StepRecord(command: step.command, args: step.args, exitCode: code))
            if code == Exit.checkFailed {
                failedCheck = true
                if !step.mayFail {
                    Console.error(
                        "step \(k + 1) (\(step.command)) failed its check; the run stops (\"may_fail\": true lets it go on)"
                    )
                    break
                }
            } else if code != 0 {
                try? AtomicFile.write(try manifest.json(), to: file.out + "/manifest.json")
                throw ExitCode(code)
            }
        }
        try AtomicFile.write(try manifest.json(), to: file.out + "/manifest.json")
        print("\(file.name): \(manifest.steps.count) of \(file.steps.count) steps run → \(file.out)/manifest.json")
        if failedCheck { throw CheckFailed() }
    }

    /// Runs one command in this process, its standard output into `stdout` when given; returns
    /// its exit code (errors are reported as the tool reports them).
    static func runStep(_ arguments: [String], stdout path: String?) throws -> Int32 {
        var saved: Int32 = -1
        if let path {
            try AtomicFile.ensureFolder(of: path)
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ValidationError("cannot write \(path): \(String(cString: strerror(errno)))") }
            saved = dup(STDOUT_FILENO)
            dup2(fd, STDOUT_FILENO)
            close(fd)
        }
        defer {
            if saved >= 0 {
                dup2(saved, STDOUT_FILENO)
                close(saved)
            }
        }
        do {
            var command = try Territorio.parseAsRoot(arguments)
            guard !(command is RunCommand) else { throw ValidationError("a project cannot run a project") }
            try command.run()
            return 0
        } catch is CheckFailed {
            return Exit.checkFailed
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            Console.error("\(arguments.first ?? ""): \(Main.describe(error))")
            return Exit.badInput
        }
    }
}

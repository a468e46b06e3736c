import ArgumentParser
import Foundation
import GIS
import Planning
import Workflows

/// Exit codes for scripts: 0 success, 1 a check failed, 2 bad input or usage.
enum Exit {
    static let checkFailed: Int32 = 1
    static let badInput: Int32 = 2
}

/// Thrown by a command whose check ran but found a failure (exit code 1).
struct CheckFailed: Error {}

struct Territorio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "territorio",
        abstract: "Geospatial planning for Ecuador's zonas, distritos and circuitos.",
        discussion: """
            Reads INEC DPA shapefiles, GeoJSON and CSV registries; writes GeoJSON and shapefiles.
            Exit codes: 0 success, 1 a check failed, 2 bad input or usage.
            """,
        version: ToolVersion.text,
        subcommands: [
            Inspect.self, Convert.self, DissolveCommand.self, Neighbours.self, Repair.self, Locate.self, Access.self,
            Check.self, Validate.self, Compare.self, Propose.self, DeficitCommand.self, PlaceCommand.self,
            CostCommand.self, ScheduleCommand.self, LocateFacilities.self, MapCommand.self, ReportCommand.self, RunCommand.self,
        ]
    )
}

@main
enum Main {
    static func main() {
        // A closed pipe on stdout is a write error (exit 2), not a signal.
        signal(SIGPIPE, SIG_IGN)
        let code: Int32
        do {
            var command = try Territorio.parseAsRoot()
            try command.run()
            code = 0
        } catch let error as GISError {
            Console.error(error.description)
            code = Exit.badInput
        } catch let error as PlanningError {
            Console.error(error.description)
            code = Exit.badInput
        } catch let error as WorkflowError {
            Console.error(error.description)
            code = Exit.badInput
        } catch is CheckFailed {
            code = Exit.checkFailed
        } catch let error as ExitCode where error.rawValue != 0 {
            code = error.rawValue
        } catch {
            if Territorio.exitCode(for: error) == .success { Territorio.exit(withError: error) }
            Console.error(Territorio.fullMessage(for: error))
            code = Exit.badInput
        }
        if let failure = Console.finish() {
            Console.error("writing to standard output failed: \(failure)")
            exit(Exit.badInput)
        }
        exit(code)
    }

    /// An error's message as the tool prints it.
    static func describe(_ error: Error) -> String {
        switch error {
        case let e as GISError: e.description
        case let e as PlanningError: e.description
        case let e as WorkflowError: e.description
        default: Territorio.fullMessage(for: error)
        }
    }
}

import Foundation
import GIS

/// An analysis kept in one file: its inputs, its parameters and the steps to run
/// (`territorio run analysis.json`). JSON:
///
/// ```json
/// {"name": "demo", "out": "out/project", "table_dialect": "es-spreadsheet",
///  "inputs": {"units": "shapes/demo/parroquias.shp", "establishments": "Data/demo/establishments.csv"},
///  "steps": [{"command": "access", "args": ["--units", "{units}", "--out", "{out}/access"]},
///            {"command": "validate", "args": ["{out}/plan/plan.csv"], "may_fail": true,
///             "stdout": "{out}/validate.txt"}]}
/// ```
///
/// Paths are relative to the project file's folder. `{name}` in an argument is the input
/// `name`, `{out}` the output folder. `table_dialect` is the project's default for every step
/// that writes tables. Everything is checked before the first step runs; errors name the file
/// and the field (`steps[2].args[4]`).
public struct ProjectFile: Sendable {
    public struct Step: Sendable, Equatable {
        public var command: String
        /// Arguments with the placeholders replaced.
        public var args: [String]
        /// A failed check (exit 1) does not stop the run.
        public var mayFail: Bool
        /// Where the step's standard output goes (a file), if anywhere.
        public var stdout: String?
    }

    public var path: String
    public var name: String
    /// The output folder, absolute.
    public var out: String
    /// The folder relative paths are taken from.
    public var folder: String
    public var inputs: [(name: String, path: String)]
    public var tableDialect: TableFormat.Dialect?
    public var steps: [Step]
    /// The project file's bytes, for the manifest's checksum.
    public var bytes: [UInt8]

    /// Commands a project may run (every command but `run` itself).
    public static let commands: Set<String> = [
        "inspect", "convert", "dissolve", "neighbours", "repair", "locate", "access", "check", "validate", "compare",
        "propose", "deficit", "place", "cost", "schedule", "locate-facilities", "map", "report",
    ]
    /// Commands that take `--table-dialect` (the project's default is added when a step has none).
    public static let tableCommands: Set<String> = [
        "access", "propose", "deficit", "place", "cost", "schedule", "locate-facilities",
    ]
    public static let maximumSteps = 200

    public static func read(_ path: String) throws -> ProjectFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GISError(.input, operation: "read project", file: path, message: "no such file")
        }
        func bad(_ field: String, _ message: String) -> GISError {
            GISError(.input, operation: "read project", file: path, field: field, message: message)
        }
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw GISError(
                .input, operation: "read project", file: path, message: "not JSON: \(error.localizedDescription)")
        }
        guard let root = object as? [String: Any] else { throw bad("(root)", "the project must be a JSON object") }
        let known: Set<String> = ["name", "out", "inputs", "steps", "table_dialect", "description"]
        if let unknown = root.keys.sorted().first(where: { !known.contains($0) }) {
            throw bad(unknown, "unknown field (the fields are \(known.sorted().joined(separator: ", ")))")
        }
        let folder = URL(fileURLWithPath: path).standardized.deletingLastPathComponent().path
        func resolve(_ p: String) -> String {
            URL(fileURLWithPath: p.hasPrefix("/") ? p : folder + "/" + p).standardized.path
        }
        guard let outText = root["out"] as? String, !outText.isEmpty else {
            throw bad("out", "the output folder is missing (a path, relative to the project file)")
        }
        let out = URL(fileURLWithPath: resolve(outText)).standardized.path
        var inputs: [(String, String)] = []
        if let given = root["inputs"] {
            guard let dict = given as? [String: Any] else { throw bad("inputs", "must be an object of name: path") }
            for name in dict.keys.sorted() {
                guard let p = dict[name] as? String, !p.isEmpty else { throw bad("inputs.\(name)", "must be a path") }
                guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), name != "out" else {
                    throw bad("inputs.\(name)", "names are letters, digits and _ (and not 'out')")
                }
                let full = resolve(p)
                guard FileManager.default.fileExists(atPath: full) else {
                    throw bad("inputs.\(name)", "\(full): no such file")
                }
                inputs.append((name, full))
            }
        }
        var dialect: TableFormat.Dialect?
        if let d = root["table_dialect"] {
            guard let text = d as? String, let parsed = TableFormat.Dialect(rawValue: text) else {
                throw bad(
                    "table_dialect",
                    "must be one of \(TableFormat.Dialect.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dialect = parsed
        }
        guard let stepList = root["steps"] as? [Any], !stepList.isEmpty else {
            throw bad("steps", "a list of steps is needed")
        }
        guard stepList.count <= maximumSteps else { throw bad("steps", "at most \(maximumSteps) steps") }
        let values = Dictionary(inputs.map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a }).merging(["out": out]) {
            a, _ in a
        }
        func substitute(_ text: String, field: String) throws -> String {
            var result = ""
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{") {
                result += rest[..<open]
                guard let close = rest[open...].firstIndex(of: "}") else { throw bad(field, "an unclosed '{'") }
                let key = String(rest[rest.index(after: open)..<close])
                guard let value = values[key] else {
                    throw bad(
                        field,
                        "{\(key)} is neither an input nor {out} (inputs: \(inputs.map(\.0).joined(separator: ", ")))")
                }
                result += value
                rest = rest[rest.index(after: close)...]
            }
            return result + rest
        }
        var steps: [Step] = []
        for (k, item) in stepList.enumerated() {
            let field = "steps[\(k)]"
            guard let step = item as? [String: Any] else { throw bad(field, "each step is an object") }
            let allowed: Set<String> = ["command", "args", "may_fail", "stdout"]
            if let unknown = step.keys.sorted().first(where: { !allowed.contains($0) }) {
                throw bad("\(field).\(unknown)", "unknown field (a step has command, args, may_fail, stdout)")
            }
            guard let command = step["command"] as? String, commands.contains(command) else {
                throw bad(
                    "\(field).command",
                    "'\(step["command"].map { "\($0)" } ?? "")' is not a command a project runs (\(commands.sorted().joined(separator: ", ")))"
                )
            }
            let rawArgs = step["args"] ?? [String]()
            guard let argList = rawArgs as? [Any] else { throw bad("\(field).args", "must be a list of strings") }
            var args: [String] = []
            for (j, a) in argList.enumerated() {
                guard let text = a as? String else { throw bad("\(field).args[\(j)]", "must be a string") }
                args.append(try substitute(text, field: "\(field).args[\(j)]"))
            }
            if let dialect, tableCommands.contains(command), !args.contains("--table-dialect") {
                args += ["--table-dialect", dialect.rawValue]
            }
            if command == "propose", !args.contains("--seed") { args += ["--seed", "2012"] }  // explicit in the manifest
            var mayFail = false
            if let m = step["may_fail"] {
                guard let b = m as? Bool else { throw bad("\(field).may_fail", "must be true or false") }
                mayFail = b
            }
            var stdout: String?
            if let s = step["stdout"] {
                guard let text = s as? String, !text.isEmpty else { throw bad("\(field).stdout", "must be a path") }
                stdout = resolve(try substitute(text, field: "\(field).stdout"))
            }
            steps.append(Step(command: command, args: args, mayFail: mayFail, stdout: stdout))
        }
        return ProjectFile(
            path: path,
            name: root["name"] as? String ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent,
            out: out, folder: folder, inputs: inputs, tableDialect: dialect, steps: steps, bytes: Array(data))
    }
}

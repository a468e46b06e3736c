import Foundation
import GIS

/// `manifest.json` of a project run: the tool's version, the project file and every input with
/// its SHA-256 (a shapefile with its .shx, .dbf, .prj and .cpg), each step as it ran (the
/// arguments with placeholders replaced, the defaults the project made explicit — the seed —
/// and its exit code), and every output file with its SHA-256. Running the same project again
/// with the same tool must give the same output checksums; no time is recorded, so the manifest
/// itself is reproducible.
public struct RunManifest {
    public struct StepRecord {
        public var command: String
        public var args: [String]
        public var exitCode: Int32
        public init(command: String, args: [String], exitCode: Int32) {
            self.command = command
            self.args = args
            self.exitCode = exitCode
        }
    }

    public var tool: String
    public var project: ProjectFile
    public var steps: [StepRecord] = []

    public init(tool: String, project: ProjectFile) {
        self.tool = tool
        self.project = project
    }

    static let sidecars = ["shx", "dbf", "prj", "cpg"]

    /// `{"path": …, "bytes": …, "sha256": …}` of a file, by streaming it.
    static func fileEntry(_ path: String, shownAs name: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw GISError(.input, operation: "checksum", file: path, message: "cannot read")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        var bytes = 0
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            bytes += chunk.count
            hash.update(chunk)
        }
        return "{\"path\":\(JSONText.quoted(name)),\"bytes\":\(bytes),\"sha256\":\"\(hash.hex())\"}"
    }

    /// The manifest's JSON; outputs are the files under the output folder (sorted, the manifest
    /// left out), paths relative to it.
    public func json() throws -> String {
        var inputs: [String] = []
        for (name, path) in project.inputs {
            var files = [try Self.fileEntry(path, shownAs: path)]
            if path.lowercased().hasSuffix(".shp") {
                for ext in Self.sidecars {
                    let side = String(path.dropLast(3)) + ext
                    if FileManager.default.fileExists(atPath: side) {
                        files.append(try Self.fileEntry(side, shownAs: side))
                    }
                }
            }
            inputs.append("{\"name\":\(JSONText.quoted(name)),\"files\":[\(files.joined(separator: ","))]}")
        }
        var outputs: [String] = []
        let root = project.out
        if let walker = FileManager.default.enumerator(atPath: root) {
            var names: [String] = []
            for case let relative as String in walker {
                var isDirectory: ObjCBool = false
                let exists = FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
                if exists, !isDirectory.boolValue, relative != "manifest.json" { names.append(relative) }
            }
            for name in names.sorted() { outputs.append(try Self.fileEntry(root + "/" + name, shownAs: name)) }
        }
        let steps = self.steps.map { s in
            "{\"command\":\(JSONText.quoted(s.command)),\"args\":[\(s.args.map(JSONText.quoted).joined(separator: ","))],\"exit\":\(s.exitCode)}"
        }
        return """
            {"tool":\(JSONText.quoted(tool)),
            "project":{"path":\(JSONText.quoted(project.path)),"name":\(JSONText.quoted(project.name)),"sha256":"\(SHA256.hex(project.bytes))"},
            "table_dialect":\(project.tableDialect.map { JSONText.quoted($0.rawValue) } ?? "null"),
            "inputs":[
            \(inputs.joined(separator: ",\n"))
            ],
            "steps":[
            \(steps.joined(separator: ",\n"))
            ],
            "outputs":[
            \(outputs.joined(separator: ",\n"))
            ]}

            """
    }
}

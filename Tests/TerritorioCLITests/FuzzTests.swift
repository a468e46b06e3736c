import Foundation
import Testing

/// Seeded mutation fuzzing of every file the tool reads, through the built binary: each case
/// must end with exit code 0, 1 or 2 — never a signal (trap, abort), never a hang — and a run
/// that fails must leave no output at all. `TERRITORIO_FUZZ_CASES` sets the cases per format
/// (default 200); `TERRITORIO_FUZZ_SEED` the seed (default 2012).
@Suite("Fuzzing every reader through the CLI")
struct FuzzTests {
    enum Format: String, CaseIterable, CustomStringConvertible {
        case shapefile, geojson, geopackage, csvPoints = "csv-points", plan, catalogue, scenarios, zonas
        var description: String { rawValue }
    }

    static var cases: Int {
        ProcessInfo.processInfo.environment["TERRITORIO_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? 200
    }
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["TERRITORIO_FUZZ_SEED"].flatMap { UInt64($0) } ?? 2012
    }

    /// Exit codes seen per format, printed for the README's table.
    static func summary(_ format: Format, _ exits: [Int32: Int]) -> String {
        "fuzz \(format): \(exits.values.reduce(0, +)) cases, "
            + exits.sorted { $0.key < $1.key }.map { "exit \($0.key) ×\($0.value)" }.joined(separator: ", ")
    }

    /// The valid inputs the mutations start from, made once per format in `dir`.
    static func seedFiles(_ format: Format, dir: String) throws -> [String: [UInt8]] {
        func bytes(_ path: String) throws -> [UInt8] {
            Array(try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/" + path)))
        }
        switch format {
        case .shapefile:
            return try Dictionary(
                uniqueKeysWithValues: ["shp", "shx", "dbf", "prj", "cpg"].map {
                    ("p.\($0)", try bytes("shapes/demo/parroquias.\($0)"))
                })
        case .geojson:
            let out = dir + "/seed.geojson"
            let r = try CLI.run(["convert", "shapes/demo/parroquias.shp", out])
            try #require(r.status == 0, "\(r.stderr)")
            return ["p.geojson": Array(try Data(contentsOf: URL(fileURLWithPath: out)))]
        case .geopackage:
            let out = dir + "/seed.gpkg"
            let r = try CLI.run(["convert", "shapes/demo/parroquias.shp", out])
            try #require(r.status == 0, "\(r.stderr)")
            return ["p.gpkg": Array(try Data(contentsOf: URL(fileURLWithPath: out)))]
        case .csvPoints: return ["e.csv": try bytes("Data/demo/establishments.csv")]
        case .plan: return ["plan.csv": Array(try Data(contentsOf: URL(fileURLWithPath: try demoPlan(dir))))]
        case .catalogue: return ["c.csv": try bytes("Data/standards/catalogue.csv")]
        case .scenarios: return ["s.csv": try bytes("Data/demo/scenarios.csv")]
        case .zonas: return ["z.csv": try bytes("Data/zonas.csv")]
        }
    }

    static func demoPlan(_ dir: String) throws -> String {
        let r = try CLI.run(["propose", "--units", "shapes/demo/parroquias.shp", "--links", "auto", "--quiet", "--out", dir + "/seedplan"])
        try #require(r.status == 0, "\(r.stderr)")
        return dir + "/seedplan/plan.csv"
    }

    /// The command a case runs, and the output it may write (a folder or a file).
    static func command(_ format: Format, case dir: String, plan: String, k: Int) -> ([String], String?) {
        let units = ["--units", "shapes/demo/parroquias.shp", "--links", "auto", "--quiet"]
        let registry = ["--establishments", "Data/demo/establishments.csv"]
        let out = dir + "/out"
        switch format {
        case .shapefile:
            // Every fourth case runs a whole proposal on the mutated layer.
            return k % 4 == 0
                ? (["propose", "--units", dir + "/p.shp", "--links", "auto", "--quiet", "--restarts", "2", "--out", out], out)
                : (["inspect", dir + "/p.shp", "--fail-on-problems"], nil)
        case .geojson: return (["convert", dir + "/p.geojson", out + ".geojson"], out + ".geojson")
        case .geopackage: return (["convert", dir + "/p.gpkg", out + ".gpkg"], out + ".gpkg")
        case .csvPoints:
            // Every third case places facilities among the mutated points.
            if k % 3 == 0 {
                let question = k % 2 == 0 ? ["mclp", "--sites", "3", "--radius", "5"] : ["p-median", "--sites", "3"]
                return (["locate-facilities", dir + "/e.csv", "--problem"] + question + ["--quiet", "--out", out], out)
            }
            return (
                ["locate", dir + "/e.csv", "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ", "-o", out + ".csv"],
                out + ".csv"
            )
        case .plan: return (["validate", dir + "/plan.csv"] + units + ["--json", out + ".json"], out + ".json")
        case .catalogue: return (["deficit", plan] + units + registry + ["--catalogue", dir + "/c.csv", "--out", out], out)
        case .scenarios:
            return (
                ["schedule", plan] + units + registry
                    + ["--only", "security", "--scenarios", dir + "/s.csv", "--schedule-seconds", "1", "--out", out], out
            )
        case .zonas: return (["validate", plan] + units + ["--zonas", dir + "/z.csv"], nil)
        }
    }

    /// The 2 GiB bound is real: the same command that passes under it fails under 16 MiB.
    @Test func theSandboxMemoryLimitIsInForce() throws {
        let arguments = ["inspect", "shapes/demo/parroquias.shp"]
        let roomy = try Sandbox.run(arguments)
        #expect(roomy.status == 0 && !roomy.signalled, "\(roomy.stderr.prefix(300))")
        let starved = try Sandbox.run(arguments, memoryLimitKiB: 16 * 1024)
        #expect(starved.status != 0 || starved.signalled)
    }

    @Test(arguments: Format.allCases)
    func mutatedInputsEndInZeroOneOrTwoWithNoPartialOutput(_ format: Format) throws {
        let root = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let seeds = try Self.seedFiles(format, dir: root)
        let plan = format == .catalogue || format == .scenarios || format == .zonas ? try Self.demoPlan(root) : ""
        var mutator = Mutator(seed: Self.seed &+ UInt64(Format.allCases.firstIndex(of: format) ?? 0) &* 1_000_003)
        var exits: [Int32: Int] = [:]
        let names = seeds.keys.sorted()
        for k in 0..<Self.cases {
            let dir = root + "/case\(k)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let target = names[mutator.int(names.count)]
            for (name, data) in seeds {
                let binary = [".shp", ".shx", ".dbf", ".gpkg"].contains { name.hasSuffix($0) }
                let content = name == target ? mutator.mutate(data, text: !binary) : data
                try Data(content).write(to: URL(fileURLWithPath: dir + "/" + name))
            }
            let (arguments, output) = Self.command(format, case: dir, plan: plan, k: k)
            let before = Set(Sandbox.files(under: dir))
            let r = try Sandbox.run(arguments, seconds: 60)
            let label = "\(format) case \(k) (\(target) mutated): \(arguments.joined(separator: " "))"
            #expect(!r.timedOut, "hang: \(label)")
            #expect(!r.signalled, "signal \(r.status): \(label)\n\(r.stderr.prefix(2_000))")
            #expect([0, 1, 2].contains(r.status), "exit \(r.status): \(label)\n\(r.stderr.prefix(500))")
            exits[r.status, default: 0] += 1
            let after = Set(Sandbox.files(under: dir)).subtracting(before)
            let leftovers = after.filter { $0.contains(".staging-") || $0.contains(".tmp-") }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers.sorted()) — \(label)")
            if r.status == 2, let output {
                #expect(!FileManager.default.fileExists(atPath: output), "a failed run left \(output): \(label)")
            }
            if r.status == 2 {
                #expect(
                    r.stderr.hasPrefix("territorio: ") || r.stderr.contains("\nterritorio: ") || r.stderr.contains("Error:"),
                    "exit 2 without a message: \(label)\n\(r.stderr.prefix(500))")
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
        print(Self.summary(format, exits))
    }
}

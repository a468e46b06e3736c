import Foundation
import GIS
import Testing

/// Runs the built `territorio` binary and checks output and exit codes, as a script would.
enum CLI {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The products folder: next to the test bundle when run by `swift test`.
    static func binary(_ name: String) throws -> String {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        let fallback = root + "/.build/debug/" + name
        try #require(FileManager.default.isExecutableFile(atPath: fallback), "\(name) binary not built")
        return fallback
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], tool: String = "territorio") throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binary(tool))
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }

    static func temp() throws -> String {
        let dir = NSTemporaryDirectory() + "territorio-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}

@Suite("territorio CLI")
struct CLITests {
    let demo = "shapes/demo/parroquias.shp"

    @Test func inspectDescribesTheDemoLayer() throws {
        let r = try CLI.run(["inspect", demo])
        #expect(r.status == 0)
        #expect(r.stdout.contains("crs:       WGS 84 / UTM zone 17S (EPSG:32717)"))
        #expect(r.stdout.contains("features:  61"))
        #expect(r.stdout.contains("  POB_2022: integer"))
        #expect(r.stdout.contains("invalid geometries: 0"))
        #expect(r.stdout.contains("overlapping pairs:  0"))
        let json = try CLI.run(["inspect", demo, "--json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(parsed?["features"] as? Int == 61)
        #expect((parsed?["crs"] as? [String: Any])?["id"] as? String == "EPSG:32717")
    }

    @Test func inspectFailOnProblemsExitsOneForOverlaps() throws {
        let dir = try CLI.temp()
        let path = dir + "/overlap.geojson"
        try
            #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Polygon","coordinates":[[[-78,-1],[-77.99,-1],[-77.99,-0.99],[-78,-0.99],[-78,-1]]]}},{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[-77.995,-1],[-77.985,-1],[-77.985,-0.99],[-77.995,-0.99],[-77.995,-1]]]}}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let r = try CLI.run(["inspect", path, "--fail-on-problems"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("overlapping pairs:  1"))
        #expect(r.stdout.contains("record 1 × record 2"))
    }

    /// Every command's help shows examples, and every example runs as printed on the demo
    /// territory (outputs moved from out/help/ to a temporary folder): exit 0, or 1 where a
    /// check legitimately fails, never a usage error.
    @Test func everyHelpExampleRuns() throws {
        let tmp = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        // propose first: the plan commands read the plan its example writes.
        let commands = [
            ["propose"], ["inspect"], ["convert"], ["dissolve"], ["neighbours"], ["repair"], ["locate"], ["access"],
            ["check", "coverage"], ["validate"], ["compare"], ["deficit"], ["cost"], ["place"], ["schedule"],
        ]
        for command in commands {
            let help = try CLI.run(command + ["--help"])
            #expect(help.status == 0)
            let lines = help.stdout.components(separatedBy: "\n")
            guard let start = lines.firstIndex(where: { $0.hasPrefix("Examples") }) else {
                Issue.record("\(command.joined(separator: " ")) --help has no examples")
                continue
            }
            var examples: [String] = []
            var current = ""
            for line in lines[(start + 1)...] {
                let text = line.trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { break }
                if current.isEmpty && !text.hasPrefix("territorio ") { continue }  // the heading's tail
                current += (current.isEmpty ? "" : " ") + (text.hasSuffix("\\") ? String(text.dropLast()) : text)
                if !text.hasSuffix("\\") {
                    examples.append(current)
                    current = ""
                }
            }
            #expect(!examples.isEmpty, "\(command)")
            for example in examples {
                var words = example.split(separator: " ").map(String.init)
                #expect(words.first == "territorio", "\(example)")
                words = words.dropFirst().map { $0.replacingOccurrences(of: "out/help/", with: tmp + "/") }
                #expect(Array(words.prefix(command.count)) == command, "\(example)")
                let run = try CLI.run(words + (words.contains("--quiet") ? [] : ["--quiet"]))
                #expect([0, 1].contains(run.status), "\(example): \(run.stderr)")
            }
        }
    }

    /// `--version` names the tool and the C libraries it runs on, and exits 0.
    @Test func versionNamesToolAndLibraries() throws {
        let run = try CLI.run(["--version"])
        #expect(run.status == 0)
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(
            line.range(
                of: #"^territorio \d+\.\d+\.\d+ \(GEOS 3\.\d+[^,]*, PROJ \d+\.\d+[^,]*, zlib \d"#,
                options: .regularExpression) != nil, "\(line)")
    }

    @Test func badInputAndUsageExitTwo() throws {
        let missing = try CLI.run(["inspect", "no/such/layer.shp"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no/such/layer.shp"))
        let unknownOption = try CLI.run(["inspect", demo, "--bogus"])
        #expect(unknownOption.status == 2)
        let badExtension = try CLI.run(["inspect", "Data/README.md"])
        #expect(badExtension.status == 2)
        #expect(badExtension.stderr.contains("unknown extension"))
        let unknownField = try CLI.run(["dissolve", demo, "--by", "NOPE", "-o", "/tmp/x.geojson"])
        #expect(unknownField.status == 2)
        #expect(unknownField.stderr.contains("DPA_PARROQ"))

        let dir = try CLI.temp()
        try "id,lon,lat\n1,-78.5,-0.2\n2,-78.4,oops\n".write(
            toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try CLI.run(["convert", dir + "/bad.csv", dir + "/out.geojson"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("record 3"))
        #expect(bad.stderr.contains("'oops'"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out.geojson"))
        let skipped = try CLI.run(["convert", dir + "/bad.csv", dir + "/out.geojson", "--skip-bad-rows"])
        #expect(skipped.status == 0)
        #expect(skipped.stderr.contains("line 3"))
        let geojsonCRS = try CLI.run(["convert", demo, dir + "/x.geojson", "--to-crs", "32717"])
        #expect(geojsonCRS.status == 2)
    }

    @Test func dissolveConservesPopulationAndWritesGeoJSON() throws {
        let dir = try CLI.temp()
        let r = try CLI.run([
            "dissolve", demo, "--by", "DPA_PARROQ", "--by-prefix", "2", "--as", "DPA_PROVIN", "-o",
            dir + "/prov.geojson",
        ])
        #expect(r.status == 0)
        #expect(r.stdout.contains("dissolved 61 features into 3 groups"))
        #expect(r.stdout.contains("POB_2022: 477438 in, 477438 out (conserved)"))
        let layer = try GeoJSONReader.read(dir + "/prov.geojson")
        #expect(layer.features.count == 3)
        #expect(layer.fields.map(\.name).prefix(2) == ["DPA_PROVIN", "n_members"])
        let shp = try CLI.run([
            "dissolve", demo, "--by", "DPA_CANTON", "-o", dir + "/cantones.shp", "--output-encoding", "1252",
        ])
        #expect(shp.status == 0)
        let back = try ShapefileReader.read(dir + "/cantones.shp")
        #expect(back.features.count == 11)
        #expect(back.features.contains { $0.attributes[try! back.requireField("DPA_DESPRO")] == .text("CAÑAVERAL") })
    }

    @Test func proposeSplitsTheOversizedParishIntoStablePieces() throws {
        let dir = try CLI.temp()
        let args = [
            "propose", "--units", demo, "--links", "auto", "--split", "--split-points",
            CLI.root + "/Data/demo/population_points.csv", "--split-weight", "pop", "--restarts", "4", "--quiet",
        ]
        let r = try CLI.run(args + ["--out", dir + "/a"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("the plan satisfies every rule"))
        let report = try String(contentsOfFile: dir + "/a/report.md", encoding: .utf8)
        // 182,004 people in the urban parish: 17 pieces of about 11,000 weighted by the points.
        #expect(report.contains("| 310150 | 182004 | 17 | population points |"))
        let plan = try String(contentsOfFile: dir + "/a/plan.csv", encoding: .utf8)
        let rows = plan.split(separator: "\n").dropFirst()
        #expect(rows.filter { $0.hasPrefix("310150-") }.count == 17)
        #expect(!rows.contains { $0.hasPrefix("310150,") })
        // Every piece and parroquia in exactly one circuito; population conserved in the maps.
        #expect(rows.count == 61 - 3 + 17 + 4 + 3)
        let circuitos = try GeoJSONReader.read(dir + "/a/circuitos.geojson")
        let people = try circuitos.features.reduce(0.0) {
            $0 + ($1.attributes[try circuitos.requireField("POB_2022")].number ?? 0)
        }
        #expect(people == 477_438)
        // Same seed, same bytes.
        #expect(try CLI.run(args + ["--out", dir + "/b"]).status == 0)
        #expect(try String(contentsOfFile: dir + "/b/plan.csv", encoding: .utf8) == plan)
        // The validator sees the same pieces.
        let v = try CLI.run([
            "validate", dir + "/a/plan.csv", "--units", demo, "--links", "auto", "--split", "--split-points",
            CLI.root + "/Data/demo/population_points.csv", "--split-weight", "pop",
        ])
        #expect(v.status == 0)
        // The dissolved distritos, read back as a plan of polygons, give the same distritos.
        let polygons = try CLI.run([
            "compare", dir + "/a/plan.csv", dir + "/a/distritos.geojson", "--units", demo, "--links", "auto", "--split",
            "--split-points", "Data/demo/population_points.csv", "--split-weight", "pop",
        ])
        #expect(polygons.status == 0)
        #expect(polygons.stdout.contains("100.0 % of parroquias, 100.0 % of people; adjusted Rand index 1.000"))
        let misuse = try CLI.run(["validate", dir + "/a/plan.csv", "--units", demo, "--split-weight", "pop"])
        #expect(misuse.status == 2)
        // Distances from the people's points: said in report.md, and a weight needs its points.
        #expect(report.contains("Where the people are: each unit's people at its polygon's interior point"))
        let placed = try CLI.run(
            args + [
                "--people-points", CLI.root + "/Data/demo/population_points.csv", "--people-weight", "pop", "--out",
                dir + "/c",
            ])
        #expect(placed.status == 0)
        let placedReport = try String(contentsOfFile: dir + "/c/report.md", encoding: .utf8)
        #expect(placedReport.contains("Where the people are: each unit's people are placed at the weighted medoid"))
        let weightAlone = try CLI.run(
            ["validate", dir + "/a/plan.csv", "--units", demo, "--people-weight", "pop"])
        #expect(weightAlone.status == 2)
        #expect(weightAlone.stderr.contains("--people-weight needs --people-points"))
    }

    /// By road the demo's province 31 is farther from its seats than in a straight line: the
    /// distance bounds bind and it gets more distritos (5 instead of 3 here).
    @Test func proposeByRoadGivesTheSparseProvinceMoreDistritos() throws {
        let dir = try CLI.temp()
        let args = ["propose", "--units", demo, "--links", "auto", "--quiet"]
        func distritos(_ out: String, province: String) throws -> Int {
            let plan = try String(contentsOfFile: out + "/plan.csv", encoding: .utf8)
            return Set(
                plan.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").dropFirst().first }
                    .filter { $0.hasPrefix(province) }
            ).count
        }
        #expect(try CLI.run(args + ["--out", dir + "/straight"]).status == 0)
        let byRoad = try CLI.run(
            args + ["--travel", "roads", "--roads", CLI.root + "/shapes/demo/roads.shp", "--out", dir + "/roads"])
        #expect(byRoad.status == 0)
        #expect(try distritos(dir + "/roads", province: "31") > distritos(dir + "/straight", province: "31"))
        let report = try String(contentsOfFile: dir + "/roads/report.md", encoding: .utf8)
        #expect(report.contains("Distances are along the roads of"))
        // The validator measures the same way: the plan's farthest distances by road.
        let validated = try CLI.run([
            "validate", dir + "/roads/plan.csv", "--units", demo, "--links", "auto", "--travel", "roads", "--roads",
            CLI.root + "/shapes/demo/roads.shp", "--markdown", dir + "/v.md",
        ])
        #expect(validated.status == 0)
        let table = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("| 31D") }.suffix(3) }
        #expect(table(try String(contentsOfFile: dir + "/v.md", encoding: .utf8)) == table(report))
        for misuse in [["--travel", "roads"], ["--roads", "shapes/demo/roads.shp"], ["--detour", "0.5"]] {
            #expect(try CLI.run(args + misuse + ["--out", dir + "/bad"]).status == 2, "\(misuse)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad"))
    }

    @Test func neighboursListsEdgesAndTheIsland() throws {
        let r = try CLI.run(["neighbours", demo, "--id", "DPA_PARROQ", "--rule", "rook"])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first == "a,b,shared_m,overlapping")
        #expect(lines.count > 100)
        #expect(r.stderr.contains("2 connected components; no neighbour: 310554"))
        let dir = try CLI.temp()
        let json = try CLI.run(["neighbours", demo, "--id", "DPA_PARROQ", "-o", dir + "/n.json"])
        #expect(json.status == 0)
        let parsed =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/n.json")))
            as? [String: Any]
        #expect(parsed?["isolated"] as? [String] == ["310554"])
    }

    @Test func convertRoundTripAndSimplify() throws {
        let dir = try CLI.temp()
        #expect(try CLI.run(["convert", demo, dir + "/p.geojson"]).status == 0)
        #expect(try CLI.run(["convert", dir + "/p.geojson", dir + "/p.shp", "--to-crs", "EPSG:32717"]).status == 0)
        let back = try ShapefileReader.read(dir + "/p.shp")
        #expect(back.features.count == 61)
        #expect(try ProjContext().describe(try #require(back.crs)).identifier == "EPSG:32717")
        let simplified = try CLI.run(["convert", demo, dir + "/s.geojson", "--simplify", "300"])
        #expect(simplified.status == 0)
        #expect(simplified.stderr.contains("vertices"))
        let check = try CLI.run(["inspect", dir + "/s.geojson", "--fail-on-problems"])
        #expect(check.status == 0)
    }

    @Test func locateReportsPointsOutsideEveryUnit() throws {
        let dir = try CLI.temp()
        try "id,lon,lat\nsea,-81.5,-2.0\nland,-79.5,-2.0\n".write(
            toFile: dir + "/pts.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["locate", dir + "/pts.csv", "--in", demo, "--id", "DPA_PARROQ", "--point-id", "id"])
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").map(String.init)
        #expect(rows[0] == "point,unit,nearest_unit,distance_m")
        #expect(rows[1].hasPrefix("sea,,31"))
        #expect(rows[2].hasPrefix("land,3"))
        #expect(r.stderr.contains("1 inside a unit, 1 outside every unit"))
    }

    @Test func demoGeneratorIsDeterministic() throws {
        let dir = try CLI.temp()
        let r = try CLI.run(["--root", dir], tool: "generate-demo")
        #expect(r.status == 0)
        for file in [
            "shapes/demo/parroquias.shp", "shapes/demo/parroquias.dbf", "shapes/demo/roads.shp",
            "Data/demo/establishments.csv", "Data/demo/population_points.csv",
        ] {
            let fresh = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + file))
            let committed = try Data(contentsOf: URL(fileURLWithPath: CLI.root + "/" + file))
            #expect(fresh == committed, "\(file) differs from a fresh generation")
        }
    }
}

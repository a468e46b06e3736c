import Foundation
import Testing

/// Issue 10's cases, each as the user met it: out-of-range numbers, corrupt files, a CRS that
/// does not fit, failed and interrupted runs, a full stdout. Each must end in exit 2 (or 0/1
/// where the input is legal) with the file, line or field named, no signal, and no output.
@Suite("Hostile input and failed runs")
struct HardeningCLITests {
    let units = ["--units", "shapes/demo/parroquias.shp", "--links", "auto", "--quiet"]
    let registry = ["--establishments", "Data/demo/establishments.csv"]

    func plan(_ dir: String) throws -> String {
        let r = try CLI.run(["propose"] + units + ["--out", dir + "/plan"])
        try #require(r.status == 0, "\(r.stderr)")
        return dir + "/plan/plan.csv"
    }

    /// Runs, expects exit 2 with every `named` piece in stderr and no `output` left.
    func refused(_ arguments: [String], naming named: [String], output: String? = nil) throws {
        let r = try Sandbox.run(arguments)
        #expect(!r.signalled, "signal: \(arguments) \(r.stderr.prefix(400))")
        #expect(r.status == 2, "\(arguments): \(r.stderr.prefix(400))")
        for n in named { #expect(r.stderr.contains(n), "'\(n)' not in: \(r.stderr.prefix(400))") }
        if let output { #expect(!FileManager.default.fileExists(atPath: output), "\(output) left behind") }
    }

    func edited(_ source: String, to path: String, line: Int, _ change: (String) -> String) throws {
        var lines = try String(contentsOfFile: CLI.root + "/" + source, encoding: .utf8).components(separatedBy: "\n")
        lines[line] = change(lines[line])
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func outOfRangeCatalogueAndScenarioNumbersAreNamed() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try plan(dir)
        try edited("Data/standards/catalogue.csv", to: dir + "/norm.csv", line: 1) {
            $0.replacingOccurrences(of: ",per_population,10000,", with: ",per_population,1e-9,")
        }
        try refused(
            ["deficit", p] + units + registry + ["--catalogue", dir + "/norm.csv", "--out", dir + "/o1"],
            naming: ["norm.csv: line 2 (Centro de salud tipo A)", "norm_value", "1e-9"], output: dir + "/o1")
        // One establishment per person: refused before placement allocates anything for it.
        try edited("Data/standards/catalogue.csv", to: dir + "/dense.csv", line: 1) {
            $0.replacingOccurrences(of: ",per_population,10000,", with: ",per_population,1,")
        }
        try refused(
            ["place", p] + units + registry + ["--catalogue", dir + "/dense.csv", "--out", dir + "/o0"],
            naming: ["norms imply", "new establishments (at most 200000", "Centro de salud tipo A"], output: dir + "/o0"
        )
        try edited("Data/standards/catalogue.csv", to: dir + "/cost.csv", line: 1) {
            $0.replacingOccurrences(of: ",1200000,", with: ",1e300,")
        }
        try refused(
            ["cost", p] + units + registry + ["--catalogue", dir + "/cost.csv", "--out", dir + "/o2"],
            naming: ["cost.csv: line 2", "investment_infrastructure", "1e300"], output: dir + "/o2")
        for (field, value) in [("gdp_start", "1e30"), ("gdp_start", "1e200"), ("start_year", "1e20")] {
            try edited("Data/scenarios.csv", to: dir + "/s.csv", line: 1) { line in
                var cells = line.components(separatedBy: ",")
                cells[field == "start_year" ? 1 : 2] = value
                return cells.joined(separator: ",")
            }
            try refused(
                ["schedule", p] + units + registry + ["--scenarios", dir + "/s.csv", "--out", dir + "/o3"],
                naming: ["s.csv: line 2 (optimistic), field '\(field)'", value], output: dir + "/o3")
        }
        // A typology under two sectors, and a repeated column.
        let catalogue = try String(contentsOfFile: CLI.root + "/Data/standards/catalogue.csv", encoding: .utf8)
        var lines = catalogue.components(separatedBy: "\n")
        lines.append(
            lines[1].replacingOccurrences(of: "health,", with: "education,").replacingOccurrences(
                of: "CENTRO DE SALUD TIPO A", with: "X"))
        try lines.joined(separator: "\n").write(toFile: dir + "/twice.csv", atomically: true, encoding: .utf8)
        try refused(
            ["deficit", p] + units + registry + ["--catalogue", dir + "/twice.csv", "--out", dir + "/o4"],
            naming: ["twice.csv", "typology listed twice (also under sector health)"], output: dir + "/o4")
        lines = catalogue.components(separatedBy: "\n")
        lines[0] = lines[0].replacingOccurrences(of: ",capacity,", with: ",norm,")
        try lines.joined(separator: "\n").write(toFile: dir + "/header.csv", atomically: true, encoding: .utf8)
        try refused(
            ["deficit", p] + units + registry + ["--catalogue", dir + "/header.csv", "--out", dir + "/o5"],
            naming: ["header.csv: line 1: columns named more than once (norm)"], output: dir + "/o5")
    }

    @Test func outOfRangeOptionsAreNamed() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try refused(
            ["propose"] + units + ["--distrito-target", "0", "--out", dir + "/a"],
            naming: ["--distrito-target must be an integer from 1 to 1000000000, got 0"], output: dir + "/a")
        try refused(
            ["propose"] + units + ["--distritos", "1000000000000000000", "--out", dir + "/b"],
            naming: ["--distritos"], output: dir + "/b")
        try refused(
            ["propose"] + units + ["--distritos", "500", "--out", dir + "/c"],
            naming: ["--distritos (at most one per unit: 61 units)"], output: dir + "/c")
        for bad in ["0.2", "-1,0", "0.2,nan", "2000000,0", "0.2,0.01,3"] {
            try refused(
                ["propose"] + units + ["--shape-weights=" + bad, "--out", dir + "/s"],
                naming: ["--shape-weights needs two numbers from 0 to 1000000", bad], output: dir + "/s")
        }
        let p = try plan(dir)
        try refused(["validate", p] + units + ["--circuito-target", "0"], naming: ["--circuito-target"])
        try refused(
            ["deficit", p] + units + registry + ["--speed", "0", "--out", dir + "/d"], naming: ["--speed"],
            output: dir + "/d")
        try refused(
            ["access", "--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ"] + registry
                + ["--within", "30min", "--detour", "0.5", "--out", dir + "/e"], naming: ["--detour"],
            output: dir + "/e")
    }

    @Test func corruptShapefilesAreRefused() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func copy(_ name: String) throws {
            for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
                try FileManager.default.copyItem(
                    atPath: CLI.root + "/shapes/demo/parroquias.\(ext)", toPath: dir + "/\(name).\(ext)")
            }
        }
        // A .dbf whose header claims 2³¹ records: refused at once, nothing allocated for them.
        try copy("claims")
        var dbf = try Data(contentsOf: URL(fileURLWithPath: dir + "/claims.dbf"))
        dbf.replaceSubrange(4..<8, with: [0, 0, 0, 0x80])
        try dbf.write(to: URL(fileURLWithPath: dir + "/claims.dbf"))
        try refused(["inspect", dir + "/claims.shp"], naming: ["claims.dbf"])
        dbf.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0x7F])
        try dbf.write(to: URL(fileURLWithPath: dir + "/claims.dbf"))
        try refused(
            ["inspect", dir + "/claims.shp"],
            naming: ["claims.dbf", "claims 2147483647 records", "truncated or corrupt"])
        // A truncated .dbf.
        try copy("short")
        let whole = try Data(contentsOf: URL(fileURLWithPath: dir + "/short.dbf"))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: dir + "/short.dbf"))
        try refused(["inspect", dir + "/short.shp"], naming: ["short.dbf", "truncated or corrupt"])
        // A .shp of garbage behind a valid .shx.
        try copy("garbage")
        let shp = try Data(contentsOf: URL(fileURLWithPath: dir + "/garbage.shp"))
        var mutator = Mutator(seed: 10)
        let noise = Data(shp.prefix(100) + (100..<shp.count).map { _ in UInt8(truncatingIfNeeded: mutator.next()) })
        try noise.write(to: URL(fileURLWithPath: dir + "/garbage.shp"))
        try refused(["inspect", dir + "/garbage.shp", "--fail-on-problems"], naming: ["garbage.shp"])
        // A .prj saying EPSG:4326 over UTM metres.
        try copy("wrongprj")
        try
            #"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#
            .write(toFile: dir + "/wrongprj.prj", atomically: true, encoding: .utf8)
        try refused(
            ["inspect", dir + "/wrongprj.shp"], naming: ["wrongprj.shp", "record 1", "do not fit the geographic CRS"])
    }

    @Test func swappedAxesAndEmptyPlansAreNamed() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Longitude and latitude swapped in the registry: every establishment falls outside.
        let text = try String(contentsOfFile: CLI.root + "/Data/demo/establishments.csv", encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let lon = try #require(header.firstIndex(of: "lon")), lat = try #require(header.firstIndex(of: "lat"))
        lines = lines.enumerated().map { k, line in
            var c = line.components(separatedBy: ",")
            guard k > 0, c.count > max(lon, lat) else { return line }
            c.swapAt(lon, lat)
            return c.joined(separator: ",")
        }
        try lines.joined(separator: "\n").write(toFile: dir + "/swapped.csv", atomically: true, encoding: .utf8)
        try refused(
            [
                "access", "--units", "shapes/demo/parroquias.shp", "--unit-id", "DPA_PARROQ", "--establishments",
                dir + "/swapped.csv", "--within", "30min", "--out", dir + "/a",
            ],
            naming: ["swapped.csv", "longitude and latitude swapped"], output: dir + "/a")
        let p = try plan(dir)
        try refused(
            ["deficit", p] + units + ["--establishments", dir + "/swapped.csv", "--out", dir + "/b"],
            naming: ["swapped.csv", "longitude and latitude swapped"], output: dir + "/b")
        // An empty plan is not a perfect match.
        try "dpa_parroq,distrito\n".write(toFile: dir + "/empty.csv", atomically: true, encoding: .utf8)
        try refused(["compare", p, dir + "/empty.csv"] + units, naming: ["empty.csv", "assigns no parroquia"])
    }

    @Test func servicesRefuseAPlanThatBreaksHardRulesUnlessAsked() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try plan(dir)
        // Move one parroquia to a distrito of another province: the plan breaks hard rules.
        var lines = try String(contentsOfFile: p, encoding: .utf8).components(separatedBy: "\n")
        let row = try #require(lines.firstIndex { $0.hasPrefix("310152,") })
        let other = try #require(lines.first { $0.hasPrefix("33") }?.components(separatedBy: ",")[1])
        var cells = lines[row].components(separatedBy: ",")
        cells[1] = other
        cells[2] = ""
        lines[row] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        try refused(
            ["deficit", dir + "/bad.csv"] + units + registry + ["--out", dir + "/a"],
            naming: ["bad.csv", "hard rule", "--accept-invalid-plan"], output: dir + "/a")
        let r = try CLI.run(
            ["deficit", dir + "/bad.csv"] + units + registry + ["--accept-invalid-plan", "--out", dir + "/b"])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOfFile: dir + "/b/summary.md", encoding: .utf8)
        #expect(summary.contains("The plan breaks"))
    }

    @Test func aFailedRunLeavesThePreviousOutputsUntouched() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = try plan(dir)
        let out = dir + "/services"
        let good = try CLI.run(["cost", p] + units + registry + ["--out", out])
        #expect(good.status == 0, "\(good.stderr)")
        let before = Sandbox.files(under: out)
        let bytes = try before.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) }
        // A bad catalogue fails after the territory was read: nothing of the new run appears.
        try "sector,typology\n".write(toFile: dir + "/bad.csv", atomically: true, encoding: .utf8)
        let bad = try Sandbox.run(["deficit", p] + units + registry + ["--catalogue", dir + "/bad.csv", "--out", out])
        #expect(bad.status == 2)
        #expect(Sandbox.files(under: out) == before)
        #expect(try before.map { try Data(contentsOf: URL(fileURLWithPath: out + "/" + $0)) } == bytes)
        #expect(Sandbox.files(under: dir).allSatisfy { !$0.contains(".staging-") })
        // A second, different command into the same folder replaces the set: no stale cost files.
        let deficit = try CLI.run(["deficit", p] + units + registry + ["--out", out])
        #expect(deficit.status == 0)
        let files = Sandbox.files(under: out)
        #expect(!files.contains("cost_nation.csv"), "\(files)")
        #expect(files.contains("deficit_nation.csv"))
    }

    @Test func anInterruptedRunLeavesNothing() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for sig in [SIGINT, SIGTERM] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try CLI.binary("territorio"))
            // Many restarts keep the proposal busy long enough to be interrupted.
            process.arguments = ["propose"] + units + ["--restarts", "10000", "--out", dir + "/plan\(sig)"]
            process.currentDirectoryURL = URL(fileURLWithPath: CLI.root)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(1_500_000)
            kill(process.processIdentifier, sig)
            process.waitUntilExit()
            #expect(process.terminationStatus == 128 + sig, "ended with \(process.terminationStatus)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/plan\(sig)"))
            #expect(Sandbox.files(under: dir).allSatisfy { !$0.contains(".staging-") }, "\(Sandbox.files(under: dir))")
        }
    }

    @Test func aFullStandardOutputExitsTwo() throws {
        let r = try Sandbox.run(["inspect", "shapes/demo/parroquias.shp"], stdout: "/dev/full")
        #expect(r.status == 2)
        #expect(r.stderr.contains("writing to standard output failed"))
    }

    @Test func projErrorsNameTheFileAndRecord() throws {
        let dir = try CLI.temp()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Row 2 lies far outside the UTM zone's domain: PROJ cannot take it to the units' CRS.
        try "id,x,y\na,700000,9800000\nb,1e15,1e15\n".write(
            toFile: dir + "/far.csv", atomically: true, encoding: .utf8)
        try refused(
            [
                "locate", dir + "/far.csv", "--in", "shapes/demo/parroquias.shp", "--id", "DPA_PARROQ", "--crs",
                "EPSG:32717", "--x", "x", "--y", "y", "-o", dir + "/located.csv",
            ], naming: ["far.csv, record 2", "could not be transformed"], output: dir + "/located.csv")
    }
}

import Foundation
import Testing

@Suite("run: a project file and its manifest")
struct RunCLITests {
    func project(_ dir: String, validateMayFail: Bool) throws -> String {
        let text = """
            {"name": "test", "out": "out", "table_dialect": "es-spreadsheet",
             "inputs": {"units": "\(CLI.root)/shapes/demo/parroquias.shp",
                        "establishments": "\(CLI.root)/Data/demo/establishments.csv"},
             "steps": [
              {"command": "inspect", "args": ["{units}"], "stdout": "{out}/inspect.txt"},
              {"command": "propose", "args": ["--units", "{units}", "--links", "auto", "--gpkg", "--out", "{out}/plan"]},
              {"command": "validate", "args": ["{out}/plan/plan.csv", "--units", "{units}", "--links", "auto",
                "--tolerance", "0.01", "--strict-balance"], "may_fail": \(validateMayFail), "stdout": "{out}/validate.txt"},
              {"command": "deficit", "args": ["{out}/plan/plan.csv", "--units", "{units}", "--links", "auto",
                "--establishments", "{establishments}", "--out", "{out}/deficit"]}
             ]}
            """
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try text.write(toFile: dir + "/analysis.json", atomically: true, encoding: .utf8)
        return dir + "/analysis.json"
    }

    @Test func aRunIsReproducibleFromItsManifest() throws {
        let dir = NSTemporaryDirectory() + "territorio-run-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try project(dir, validateMayFail: true)
        let first = try CLI.run(["run", path, "--quiet"])
        // The strict tolerance makes validate fail its check: the run goes on and ends with 1.
        #expect(first.status == 1, "\(first.stderr)")
        let manifest = try String(contentsOfFile: dir + "/out/manifest.json", encoding: .utf8)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any])
        let steps = try #require(json["steps"] as? [[String: Any]])
        #expect(steps.map { $0["command"] as? String } == ["inspect", "propose", "validate", "deficit"])
        #expect(steps.map { $0["exit"] as? Int } == [0, 0, 1, 0])
        #expect((steps[1]["args"] as? [String])?.suffix(4) == ["--table-dialect", "es-spreadsheet", "--seed", "2012"])
        // Every output is listed with its checksum, and the checksums are right (hand check
        // of one through the standard `sha256sum`).
        let outputs = try #require(json["outputs"] as? [[String: Any]])
        #expect(outputs.contains { $0["path"] as? String == "plan/plan.gpkg" })
        #expect(outputs.contains { $0["path"] as? String == "deficit/deficit_nation.csv" })
        let nation = try #require(outputs.first { $0["path"] as? String == "deficit/deficit_nation.csv" })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [dir + "/out/deficit/deficit_nation.csv"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let sum = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64)
        #expect(nation["sha256"] as? String == String(sum))
        // The project's dialect reached the tables: a BOM and ';'.
        let table = try Data(contentsOf: URL(fileURLWithPath: dir + "/out/deficit/deficit_nation.csv"))
        #expect(Array(table.prefix(3)) == [0xEF, 0xBB, 0xBF] && table.contains(UInt8(ascii: ";")))
        // The same project again: the same manifest, byte for byte.
        let second = try CLI.run(["run", path, "--quiet"])
        #expect(second.status == 1)
        #expect(try String(contentsOfFile: dir + "/out/manifest.json", encoding: .utf8) == manifest)
    }

    @Test func aFailedCheckStopsTheRunUnlessAllowed() throws {
        let dir = NSTemporaryDirectory() + "territorio-run-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try CLI.run(["run", try project(dir, validateMayFail: false), "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("step 3 (validate) failed its check"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/out/deficit"))
        let bad = try CLI.run(["run", dir + "/missing.json"])
        #expect(bad.status == 2 && bad.stderr.contains("missing.json"))
    }
}

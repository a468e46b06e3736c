import Foundation
import GIS
import Testing

@testable import Workflows

@Suite("Project files and run manifests")
struct ProjectFileTests {
    /// FIPS 180-4 / NIST example vectors.
    @Test func sha256MatchesTheStandardsVectors() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Fed in uneven pieces, the same digest.
        var h = SHA256()
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var i = 0, step = 1
        while i < bytes.count {
            h.update(bytes[i..<min(bytes.count, i + step)])
            i += step
            step = step * 3 % 1000 + 1
        }
        #expect(h.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func write(_ text: String) throws -> String {
        let dir = NSTemporaryDirectory() + "territorio-project-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "x".write(toFile: dir + "/units.shp", atomically: true, encoding: .utf8)
        let path = dir + "/analysis.json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func placeholdersPathsAndTheProjectsTableDialect() throws {
        let path = try write(
            """
            {"out": "out", "table_dialect": "es-spreadsheet", "inputs": {"units": "units.shp"},
             "steps": [{"command": "propose", "args": ["--units", "{units}", "--out", "{out}/plan"]},
                       {"command": "inspect", "args": ["{units}"], "stdout": "{out}/inspect.txt", "may_fail": true}]}
            """)
        let p = try ProjectFile.read(path)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        #expect(p.out == folder + "/out")
        #expect(
            p.steps[0].args == [
                "--units", folder + "/units.shp", "--out", folder + "/out/plan", "--table-dialect", "es-spreadsheet",
                "--seed", "2012",
            ])
        #expect(p.steps[1].args == [folder + "/units.shp"])  // inspect writes no table
        #expect(p.steps[1].stdout == folder + "/out/inspect.txt" && p.steps[1].mayFail)
    }

    @Test func mistakesNameTheFieldBeforeAnythingRuns() throws {
        let cases: [(String, String)] = [
            (#"{"out": "o", "steps": [{"command": "rm", "args": []}]}"#, "steps[0].command"),
            (#"{"out": "o", "steps": [{"command": "run", "args": []}]}"#, "steps[0].command"),
            (#"{"out": "o", "steps": [{"command": "inspect", "args": ["{nope}"]}]}"#, "steps[0].args[0]"),
            (#"{"out": "o", "steps": [{"command": "inspect", "args": [3]}]}"#, "steps[0].args[0]"),
            (#"{"out": "o", "inputs": {"units": "missing.shp"}, "steps": [{"command": "inspect"}]}"#, "inputs.units"),
            (#"{"out": "o", "table_dialect": "excel", "steps": [{"command": "inspect"}]}"#, "table_dialect"),
            (#"{"out": "o", "stepz": [], "steps": [{"command": "inspect"}]}"#, "stepz"),
            (#"{"steps": [{"command": "inspect"}]}"#, "out"),
            (#"{"out": "o", "steps": []}"#, "steps"),
            (#"{"out": "o", "steps": [{"command": "inspect", "may_fail": "yes"}]}"#, "steps[0].may_fail"),
        ]
        for (text, field) in cases {
            let path = try write(text)
            #expect { try ProjectFile.read(path) } throws: { ($0 as? GISError)?.field == field }
        }
        let notJSON = try write("{")
        #expect(throws: GISError.self) { try ProjectFile.read(notJSON) }
    }
}

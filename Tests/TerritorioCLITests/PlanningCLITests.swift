import Foundation
import Testing

/// `territorio validate` and `compare` on the real official distrito plan.
@Suite("territorio validate and compare (../shared/data)", .enabled(if: CLIData.required))
struct PlanningCLITests {
    var common: [String] {
        [
            "--units", CLIData.root + "/dpa/parroquias.shp", "--recode",
            CLIData.root + "/population/recode_2022_to_2012.csv",
        ]
    }
    var official: String { CLIData.root + "/plans/distritos_oficial_parroquias2012.csv" }

    @Test func officialPlanIsValidatedAndItsBreachesNamed() throws {
        try #require(CLIData.available, "../shared/data is missing (CI is set)")
        let dir = try CLI.temp()
        let r = try CLI.run(
            ["validate", official] + common + [
                "--links", "auto", "--json", dir + "/v.json", "--markdown", dir + "/v.md",
            ])
        #expect(r.status == 1)
        #expect(r.stdout.contains("140 distritos, 0 circuitos, 1040 parroquias"))
        // The reconstructed plan's distritos in pieces, named (13D11's enclave 131457 is joined
        // to its cantón by the auto links, so 13D11 is whole).
        for d in ["06D03", "09D01", "09D05", "09D16"] { #expect(r.stdout.contains("[contiguity] \(d)")) }
        #expect(!r.stdout.contains("[contiguity] 13D11"))
        #expect(r.stdout.contains("131457–131450"))
        let json =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/v.json")))
            as? [String: Any]
        #expect(json?["valid"] as? Bool == false)
        let warnings = json?["warnings"] as? [[String: Any]] ?? []
        // The five split city parishes are reported as such.
        let split = Set(
            warnings.filter { $0["rule"] as? String == "whole-parroquia" }.compactMap { $0["unit"] as? String })
        #expect(split == ["010150", "090150", "170150", "180150", "230150"])
        // La Concordia (recoded to Santo Domingo) sits in 23D03 without breaking the province rule.
        let violations = json?["violations"] as? [[String: Any]] ?? []
        #expect(!violations.contains { $0["unit"] as? String == "23D03" })
        #expect(try String(contentsOfFile: dir + "/v.md", encoding: .utf8).contains("| 140 |"))
    }

    @Test func comparingAPlanWithItselfAndWithAChange() throws {
        try #require(CLIData.available, "../shared/data is missing (CI is set)")
        let same = try CLI.run(["compare", official, official] + common)
        #expect(same.status == 0)
        #expect(same.stdout.contains("100.0 % of parroquias, 100.0 % of people; adjusted Rand index 1.000"))
        // Move one parish (Cuenca's Baños, 010151) to another distrito.
        let dir = try CLI.temp()
        let text = try String(contentsOfFile: official, encoding: .utf8).replacingOccurrences(
            of: "010151,01D02,6,01D02,", with: "010151,01D01,6,01D01,")
        try text.write(toFile: dir + "/moved.csv", atomically: true, encoding: .utf8)
        let moved = try CLI.run(["compare", official, dir + "/moved.csv"] + common + ["--moves", dir + "/moves.csv"])
        #expect(moved.status == 0)
        #expect(
            try String(contentsOfFile: dir + "/moves.csv", encoding: .utf8).contains("010151,01D02,01D01,01D02,21797"))
    }

    @Test func repairOfTheOfficialPlanMovesEachUnitOnceAndNamesWhatRemains() throws {
        try #require(CLIData.available, "../shared/data is missing (CI is set)")
        let dir = try CLI.temp()
        let r = try CLI.run(["propose", "--from", official, "--repair", "--links", "auto", "--out", dir] + common)
        #expect(r.status == 1)  // Tenguel (090158), detached from 09D05, has no move that breaks nothing else
        // Each breach is seen twice, by the graph and on the dissolved polygons, which agree.
        #expect(r.stdout.contains("8 violation(s) before, 2 after"))
        #expect(r.stdout.contains("still broken [contiguity] 09D05"))
        #expect(r.stdout.contains("still broken [contiguity (polygons)] 09D05"))
        let moves = try String(contentsOfFile: dir + "/moves.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(moves.count == 3)
        #expect(moves.allSatisfy { $0.hasSuffix(",contiguity") })
        // Locking the distrito holding the first detached piece leaves it unrepaired.
        let locked = try CLI.run(
            ["propose", "--from", official, "--repair", "--lock", "06D03", "--links", "auto", "--out", dir] + common)
        #expect(locked.stdout.contains("still broken [contiguity] 06D03"))
    }

    @Test func badPlansExitTwo() throws {
        try #require(CLIData.available, "../shared/data is missing (CI is set)")
        let dir = try CLI.temp()
        try "dpa_parroq,distrito\n010150,01D01\n999999,01D01\n".write(
            toFile: dir + "/unknown.csv", atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["validate", dir + "/unknown.csv"] + common)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("999999"))
        try "dpa_parroq,distrito\n010150,01D01\n010150,01D02\n".write(
            toFile: dir + "/dup.csv", atomically: true, encoding: .utf8)
        let dup = try CLI.run(["validate", dir + "/dup.csv"] + common)
        #expect(dup.status == 2)
        #expect(dup.stderr.contains("010150"))
        try "dpa_parroq,distrito\n010150,01D01\n".write(toFile: dir + "/partial.csv", atomically: true, encoding: .utf8)
        let partial = try CLI.run(["validate", dir + "/partial.csv"] + common)
        #expect(partial.status == 1)
        #expect(partial.stdout.contains("[coverage]"))
    }
}

/// The real data beside the project (integration tests skip without it unless CI is set).
enum CLIData {
    static let root = CLI.root + "/../shared/data"
    static var available: Bool { FileManager.default.fileExists(atPath: root + "/dpa/parroquias.shp") }
    static var required: Bool { available || ProcessInfo.processInfo.environment["CI"] != nil }
}

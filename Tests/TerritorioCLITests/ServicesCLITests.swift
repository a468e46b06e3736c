import Foundation
import GIS
import Testing

/// `territorio deficit`, `place`, `cost` and `schedule` on the synthetic demo territory.
@Suite("territorio services on the demo territory")
struct ServicesCLITests {
    let units = ["--units", "shapes/demo/parroquias.shp", "--links", "auto", "--quiet"]
    let registry = ["--establishments", "Data/demo/establishments.csv"]

    /// A plan of the demo: one distrito per cantón, one circuito per parroquia.
    func plan(_ dir: String, leaving: String? = nil) throws -> String {
        let layer = try ShapefileReader.read(CLI.root + "/shapes/demo/parroquias.shp")
        let id = try layer.requireField("DPA_PARROQ")
        var lines = ["dpa_parroq,distrito,circuito"]
        var perCanton: [String: Int] = [:]
        for f in layer.features {
            let code = f.attributes[id].description
            guard code != leaving else { continue }
            let canton = String(code.prefix(4))
            let d = canton.prefix(2) + "D" + canton.suffix(2)
            perCanton[canton, default: 0] += 1
            let n = perCanton[canton] ?? 1
            lines.append("\(code),\(d),\(d)C\(n < 10 ? "0" : "")\(n)")
        }
        let path = dir + "/plan\(leaving ?? "").csv"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func deficitCostsAddUpAndPlacementWritesSites() throws {
        let dir = try CLI.temp()
        let p = try plan(dir)
        let cost = try CLI.run(["cost", p] + units + registry + ["--out", dir + "/cost"])
        #expect(cost.status == 0)
        // The same national total at every level.
        func total(_ level: String) throws -> Double {
            let text = try String(contentsOfFile: dir + "/cost/cost_\(level).csv", encoding: .utf8)
            return text.split(separator: "\n").dropFirst().reduce(0) { sum, line in
                let cells = line.split(separator: ",")
                return sum + (Double(cells[cells.count - 2]) ?? .nan)
            }
        }
        let nation = try total("nation")
        #expect(nation > 0)
        #expect(try total("zona") == nation)
        #expect(try total("distrito") == nation)
        #expect(
            try String(contentsOfFile: dir + "/cost/summary.md", encoding: .utf8).contains("**Illustrative numbers.**"))

        let place = try CLI.run(
            ["place", p] + units + registry + [
                "--population-points", "Data/demo/population_points.csv", "--population-weight", "pop", "--out",
                dir + "/place",
            ])
        #expect(place.status == 0)
        #expect(place.stdout.contains("solved with a zero gap"))
        let sites = try GeoJSONReader.read(dir + "/place/sites.geojson")
        #expect(!sites.features.isEmpty)
        #expect(sites.fields.map(\.name).contains("served"))
        // Some new sites stand at a unit's population-weighted centre rather than at its seat.
        let site = try sites.requireField("site")
        #expect(sites.features.contains { $0.attributes[site].description.hasSuffix("population centre") })
        // No new site serves more than its typology's capacity (a CDI: 60 children).
        let typology = try sites.requireField("typology"), served = try sites.requireField("served")
        for f in sites.features where f.attributes[typology].description.hasPrefix("Centro de Desarrollo Infantil") {
            #expect((f.attributes[served].number ?? 0) <= 60.05)
        }
    }

    @Test func scheduleClosesSectorsByScenario() throws {
        let dir = try CLI.temp()
        let r = try CLI.run(
            ["schedule", try plan(dir)] + units + registry + [
                "--scenarios", "Data/demo/scenarios.csv", "--only", "health,security", "--schedule-seconds", "2",
                "--out", dir + "/s",
            ])
        #expect(r.status == 0)
        #expect(r.stdout.contains("moderate: health closes"))
        let md = try String(contentsOfFile: dir + "/s/summary.md", encoding: .utf8)
        #expect(md.contains("| optimistic | 7 % | 128,000,000 |"))
        #expect(FileManager.default.fileExists(atPath: dir + "/s/schedule_pessimistic.csv"))
    }

    @Test func badInputIsNamedAndExitsTwo() throws {
        let dir = try CLI.temp()
        let p = try plan(dir)
        // A catalogue row with an unknown level, one with a negative cost.
        let catalogue = try String(contentsOfFile: CLI.root + "/Data/standards/catalogue.csv", encoding: .utf8)
        try catalogue.replacingOccurrences(of: "Hospital básico,distrito", with: "Hospital básico,barrio")
            .write(toFile: dir + "/level.csv", atomically: true, encoding: .utf8)
        let level = try CLI.run(["deficit", p] + units + registry + ["--catalogue", dir + "/level.csv", "--out", dir])
        #expect(level.status == 2)
        #expect(level.stderr.contains("line 4 (Hospital básico): unknown level 'barrio'"))
        try catalogue.replacingOccurrences(of: ",300000,60000,40000,", with: ",-300000,60000,40000,")
            .write(toFile: dir + "/negative.csv", atomically: true, encoding: .utf8)
        let negative = try CLI.run(
            ["deficit", p] + units + registry + ["--catalogue", dir + "/negative.csv", "--out", dir])
        #expect(negative.status == 2)
        #expect(
            negative.stderr.contains(
                "(Centro de Desarrollo Infantil (CDI)): investment_infrastructure must not be negative"))
        // A scenario with a negative budget.
        try "scenario,start_year,gdp_start,programme_share,gdp_growth,population_growth\nbad,2027,1000,-0.1,0.05,0.01\n"
            .write(toFile: dir + "/scenarios.csv", atomically: true, encoding: .utf8)
        let scenario = try CLI.run(
            ["schedule", p] + units + registry + ["--scenarios", dir + "/scenarios.csv", "--out", dir])
        #expect(scenario.status == 2)
        #expect(scenario.stderr.contains("line 2 (bad), field 'programme_share': must be from 0 to 1, not -0.1"))
        // A plan that leaves out a parroquia with people.
        let partial = try CLI.run(["deficit", try plan(dir, leaving: "310152")] + units + registry + ["--out", dir])
        #expect(partial.status == 2)
        #expect(partial.stderr.contains("the plan breaks 1 hard rule(s)") && partial.stderr.contains("310152"))
        #expect(partial.stderr.contains("--accept-invalid-plan"))
        // Going on anyway still refuses a plan that leaves people out of the deficit.
        let anyway = try CLI.run(
            ["deficit", try plan(dir, leaving: "310152")] + units + registry + ["--accept-invalid-plan", "--out", dir])
        #expect(anyway.status == 2)
        #expect(anyway.stderr.contains("does not cover every unit with people (310152)"))
        // Types the catalogue does not know are listed, not dropped silently.
        try
            (try String(contentsOfFile: CLI.root + "/Data/demo/establishments.csv", encoding: .utf8)
            .replacingOccurrences(of: ",UPC,", with: ",RETÉN,"))
            .write(toFile: dir + "/registry.csv", atomically: true, encoding: .utf8)
        let unknown = try CLI.run(["deficit", p] + units + ["--establishments", dir + "/registry.csv", "--out", dir])
        #expect(unknown.status == 0)
        #expect(unknown.stderr.contains("registry types the catalogue does not know (not counted): RETÉN ×47"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/summary.md.tmp"))
    }
}

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
        // Some new sites stand at one of a unit's population centres rather than at its seat,
        // and no two sites of a typology share a place unless every candidate of their area is
        // taken (placement.csv's stacked column says how many).
        let site = try sites.requireField("site")
        #expect(sites.features.contains { $0.attributes[site].description.contains("population centre") })
        let records = try CSVTable.read(dir + "/place/placement.csv")
        let stackedColumn = try #require(records.header.firstIndex(of: "stacked"))
        let stacked = records.rows.reduce(0) { $0 + (Int($1[stackedColumn]) ?? 0) }
        let unitCode = try sites.requireField("unit_code"), typologyField = try sites.requireField("typology")
        let distinct = Set(
            sites.features.map {
                "\($0.attributes[unitCode].description)|\($0.attributes[typologyField].description)|\($0.attributes[site].description)"
            })
        #expect(sites.features.count - distinct.count == stacked)
        // No new site serves more than its typology's capacity (a CDI: 60 children).
        let typology = try sites.requireField("typology"), served = try sites.requireField("served")
        for f in sites.features where f.attributes[typology].description.hasPrefix("Centro de Desarrollo Infantil") {
            #expect((f.attributes[served].number ?? 0) <= 60.05)
        }
    }

    /// A registry with names and funding (as AMIE has) on the demo: the shipped rules give each
    /// row its levels and provider; the private offer is netted, and every written figure is
    /// recomputed here from the row's own population by the catalogue's formulas.
    @Test func registryRulesGiveLevelsAndTheDeficitNetsThePrivateOffer() throws {
        let dir = try CLI.temp()
        let p = try plan(dir)
        let demo = try String(contentsOfFile: CLI.root + "/Data/demo/establishments.csv", encoding: .utf8)
        let points = demo.split(separator: "\n").dropFirst().prefix(12).map { line -> String in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            return "\(cells[cells.count - 2]),\(cells[cells.count - 1])"
        }
        let names = [
            ("ESCUELA FISCAL Nº 1", "FISCAL", ""), ("Escuela de Educación Básica “Montalvo”", "FISCAL", ""),
            ("ESC. EGB 3", "MUNICIPAL", ""), ("EUGENIO ESPEJO", "FISCOMISIONAL", ""),
            ("UNIDAD EDUCATIVA PARTICULAR A", "PARTICULAR", ""), ("Unidad Educativa B", "PARTICULAR", ""),
            ("U.E. C", "PARTICULAR", ""), ("CENTRO DE EDUCACIÓN INICIAL D", "FISCAL", ""),
            ("Centro de Educacion Inicial E", "FISCAL", ""),
            ("UNIDAD EDUCATIVA ESPECIALIZADA F", "FISCAL", "ESPECIALIZADA"),
            ("COLEGIO G", "FISCAL", ""), ("CONSERVATORIO H", "PARTICULAR", ""),
        ]
        var rows = ["amie,nombre,sostenimiento,oferta_2,lon,lat"]
        for (k, (name, funding, offer)) in names.enumerated() {
            rows.append("A\(k),\"\(name)\",\(funding),\(offer),\(points[k])")
        }
        let registryPath = dir + "/amie_like.csv"
        try (rows.joined(separator: "\n") + "\n").write(toFile: registryPath, atomically: true, encoding: .utf8)
        let r = try CLI.run(
            ["deficit", p] + units + [
                "--establishments", registryPath, "--establishment-id", "amie", "--registry-rules", "amie",
                "--only", "education", "--private-share", "0.5", "--out", dir + "/d",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let summary = try String(contentsOfFile: dir + "/d/summary.md", encoding: .utf8)
        // 4 escuelas (one by the fallback), 3 private unidades, 2 inicial, 1 colegio; the
        // especializada and the conservatoire are no offer.
        #expect(summary.contains("| Escuela de educación general básica | 4 | 3 |"))
        #expect(summary.contains("| Unidad educativa de bachillerato | 1 | 3 |"))
        #expect(summary.contains("| Centro de educación inicial | 2 | 0 |"))
        #expect(summary.contains("## Gross and net deficit"))
        #expect(r.stderr.contains("×1") && r.stderr.contains("special needs") && r.stderr.contains("conservatoire"))
        // Every row recomputed: gross and net requirement, private people served (capacity ×
        // 0.5, at most the target group), missing from the public offer.
        let catalogue = try CSVTable.read(CLI.root + "/Data/standards/catalogue.csv")
        func column(_ name: String) -> Int { catalogue.header.firstIndex(of: name) ?? -1 }
        var norms: [String: (people: Double, share: Double, capacity: Double)] = [:]
        for row in catalogue.rows {
            norms[row[column("typology")]] = (
                Double(row[column("norm_value")]) ?? .nan, Double(row[column("group_share")]) ?? .nan,
                Double(row[column("capacity")]) ?? .nan
            )
        }
        let table = try CSVTable.read(dir + "/d/deficit_units.csv")
        func cell(_ row: [String], _ name: String) -> Double {
            Double(row[table.header.firstIndex(of: name) ?? 0]) ?? .nan
        }
        var privateSeen = 0.0
        for row in table.rows {
            let typology = row[table.header.firstIndex(of: "typology") ?? 0]
            let n = try #require(norms[typology])
            let target = cell(row, "population") * n.share
            let served = min(target, cell(row, "private") * n.capacity * 0.5)
            let gross = target <= 0 ? 0 : (target / n.people).rounded(.up)
            let net = target - served <= 1e-9 ? 0 : ((target - served) / n.people).rounded(.up)
            #expect(abs(cell(row, "private_served") - served) <= 0.5, "\(row)")
            #expect(cell(row, "required_gross") == gross && cell(row, "required") == net, "\(row)")
            #expect(cell(row, "missing_gross") == max(0, gross - cell(row, "current") - cell(row, "poor")))
            #expect(cell(row, "missing") == max(0, net - cell(row, "current") - cell(row, "poor")))
            privateSeen += cell(row, "private")
        }
        #expect(privateSeen == 6)  // 3 private unidades, each an escuela and a colegio
    }

    /// A plan without circuitos: circuitos are derived inside its distritos, written, valid,
    /// and the circuito norms count them (one UPC per derived circuito); with
    /// --no-derived-circuitos the norm falls back to one per distrito.
    @Test func circuitoNormsCountDerivedCircuitos() throws {
        let dir = try CLI.temp()
        let withCircuitos = try String(contentsOfFile: try plan(dir), encoding: .utf8)
        let distritosOnly =
            withCircuitos.split(separator: "\n").map { line in
                line.split(separator: ",", omittingEmptySubsequences: false).prefix(2).joined(separator: ",")
            }.joined(separator: "\n") + "\n"
        let p = dir + "/distritos_only.csv"
        try distritosOnly.write(toFile: p, atomically: true, encoding: .utf8)
        let upc = ["--only", "Unidad de Policía Comunitaria (UPC)"]
        let r = try CLI.run(["deficit", p] + units + registry + upc + ["--out", dir + "/derived"])
        #expect(r.status == 0, "\(r.stderr)")
        let derived = try CSVTable.read(dir + "/derived/plan_with_circuitos.csv")
        let circuitos = Set(derived.rows.map { $0[2] })
        let distritos = Set(derived.rows.map { $0[1] })
        #expect(circuitos.count > distritos.count && !circuitos.contains(""))
        #expect(derived.rows.allSatisfy { $0[2].hasPrefix($0[1] + "C") })
        let validate = try CLI.run(["validate", dir + "/derived/plan_with_circuitos.csv"] + units)
        #expect(validate.status == 0, "\(validate.stdout.suffix(800))")
        let summary = try String(contentsOfFile: dir + "/derived/summary.md", encoding: .utf8)
        #expect(summary.contains("the plan has no circuitos: \(circuitos.count) circuitos derived"))
        let nation = try CSVTable.read(dir + "/derived/deficit_nation.csv")
        let required = try #require(nation.header.firstIndex(of: "required"))
        #expect(nation.rows.map { Double($0[required]) } == [Double(circuitos.count)])
        let perDistrito = try CLI.run(
            ["deficit", p] + units + registry + upc + ["--no-derived-circuitos", "--out", dir + "/flat"])
        #expect(perDistrito.status == 0)
        let flat = try CSVTable.read(dir + "/flat/deficit_nation.csv")
        #expect(flat.rows.map { Double($0[required]) } == [Double(distritos.count)])
        #expect(!FileManager.default.fileExists(atPath: dir + "/flat/plan_with_circuitos.csv"))
    }

    /// The schedule on the demo: per scenario the closing years, the budget needed, spending
    /// per zona and distrito that adds up to the per-sector spending, unbuilt items listed; a
    /// rerun writes the same bytes (CBC stops on nodes, not on the clock).
    @Test func scheduleClosesSectorsByScenario() throws {
        let dir = try CLI.temp()
        let p = try plan(dir)
        let args =
            ["schedule", p] + units + registry + [
                "--scenarios", "Data/demo/scenarios.csv", "--only", "health,security", "--schedule-nodes", "200",
            ]
        let r = try CLI.run(args + ["--out", dir + "/s"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("moderate: health closes"))
        #expect(r.stdout.contains("% of GDP"))
        let md = try String(contentsOfFile: dir + "/s/summary.md", encoding: .utf8)
        #expect(md.contains("| optimistic | 7 % |"))
        #expect(md.contains("## Budget needed"))
        // Spending per area, summed, is the per-sector spending of each scenario and year.
        for scenario in ["optimistic", "moderate", "pessimistic"] {
            let perSector = try CSVTable.read(dir + "/s/schedule_\(scenario).csv")
            let perArea = try CSVTable.read(dir + "/s/spending_by_area.csv")
            var expected: [String: Double] = [:], got: [String: Double] = [:]
            for row in perSector.rows { expected[row[1] + row[2], default: 0] += Double(row[5]) ?? .nan }
            for row in perArea.rows where row[0] == scenario {
                got[row[1] + row[4], default: 0] += Double(row[7]) ?? .nan
            }
            for (key, value) in expected where value > 0 {
                #expect(abs((got[key] ?? 0) - value) <= 1, "\(scenario) \(key): \(got[key] ?? 0) vs \(value)")
            }
        }
        let needed = try CSVTable.read(dir + "/s/budget_needed.csv")
        #expect(needed.rows.count == 3 && needed.rows.allSatisfy { (Double($0[2]) ?? 0) > 0 })
        #expect(FileManager.default.fileExists(atPath: dir + "/s/unbuilt.csv"))
        // A closing year before the scenarios start is said to be outside the horizon.
        #expect(try CLI.run(args + ["--close-by", "2020", "--out", dir + "/early"]).status == 0)
        let early = try String(contentsOfFile: dir + "/early/summary.md", encoding: .utf8)
        #expect(early.contains("| moderate | 2020 | outside the horizon (2027–2036) |"))
        // The same bytes again.
        #expect(try CLI.run(args + ["--out", dir + "/again"]).status == 0)
        for file in ["summary.md", "sites_by_year.csv", "spending_by_area.csv", "budget_needed.csv", "unbuilt.csv"] {
            let a = try Data(contentsOf: URL(fileURLWithPath: dir + "/s/" + file))
            let b = try Data(contentsOf: URL(fileURLWithPath: dir + "/again/" + file))
            #expect(a == b, "\(file) differs on a rerun")
        }
    }

    /// A registry capacity that is not a number of people is refused, naming the row.
    @Test func badRegistryCapacityIsNamed() throws {
        let dir = try CLI.temp()
        let p = try plan(dir)
        let demo = try String(contentsOfFile: CLI.root + "/Data/demo/establishments.csv", encoding: .utf8)
        var lines = demo.split(separator: "\n").map(String.init)
        // E0047's capacity (the fifth column) becomes -5.
        if let k = lines.firstIndex(where: { $0.hasPrefix("E0047,") }) {
            var cells = lines[k].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[cells.count - 4] = "-5"
            lines[k] = cells.joined(separator: ",")
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/e.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(
            ["deficit", p] + units + [
                "--establishments", dir + "/e.csv", "--establishment-id", "id", "--out", dir + "/o",
            ])
        #expect(r.status == 2)
        #expect(r.stderr.contains("capacity") && r.stderr.contains("E0047 '-5'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/o"))
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

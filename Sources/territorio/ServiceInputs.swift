import ArgumentParser
import Foundation
import GIS
import Optimization
import Planning

/// What every service command reads: the territory and a plan, the standards catalogue and the
/// establishments registry; and what they share: the current offer located on the plan, travel
/// times to the nearest establishment of each typology, and the deficit.
struct ServiceInputs: ParsableArguments {
    @Argument(help: "The plan (CSV: dpa_parroq,distrito[,circuito]; official, proposed or repaired).")
    var plan: String

    @OptionGroup var territory: PlanningInputs

    @Option(help: "Standards catalogue (CSV; see Data/standards/README.md).")
    var catalogue = "Data/standards/catalogue.csv"

    @Option(help: "Establishments registry: CSV of points (lon/lat).")
    var establishments: String

    @Option(help: "Registry column whose values the catalogue's 'matches' name (e.g. subtype, sostenimiento).")
    var typeColumn = "subtype"

    @Option(help: "Registry column with the building's condition (good/fair/poor or buena/regular/mala); optional.")
    var conditionColumn = "condition"

    @Option(help: "Registry column with the establishment id (default: the row number).")
    var idColumn: String?

    @Option(help: "Only these sectors or typologies of the catalogue (comma-separated names).")
    var only: String?

    @Option(help: "Straight-line speed that turns distance into travel time, km/h.")
    var speedKmh = 20.0

    @Option(help: "Output folder.")
    var out: String

    var metresPerMinute: Double { speedKmh * 1000 / 60 }

    struct Loaded {
        var planning: PlanningInputs.Loaded
        var plan: Plan
        var catalogue: StandardsCatalogue
        var establishments: [Planning.Establishment]
        /// Registry values no catalogue typology matches (value → count), and rows outside every unit.
        var unknownTypes: [(String, Int)]
        var outside: [String]
        var deficit: DeficitAnalysis
    }

    func validate() throws {
        guard speedKmh > 0, speedKmh.isFinite else { throw ValidationError("--speed-kmh must be positive") }
    }

    func load() throws -> Loaded {
        let planning = try territory.load()
        let progress = Progress(quiet: territory.quiet)
        let plan = try territory.readPlan(self.plan, loaded: planning)
        let table = try CSVTable.read(catalogue)
        var standards = try StandardsCatalogue.read(
            header: table.header, rows: table.rows, lines: table.lines, source: catalogue)
        if let only {
            let names = Set(only.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
            let known = Set(standards.standards.flatMap { [$0.sector.lowercased(), $0.typology.lowercased()] })
            guard names.isSubset(of: known) else {
                throw PlanningError(
                    source: catalogue, "--only names no sector or typology of the catalogue",
                    units: names.subtracting(known).sorted())
            }
            standards.standards = standards.standards.filter {
                names.contains($0.sector.lowercased()) || names.contains($0.typology.lowercased())
            }
        }
        progress.step("locating \(establishments)")
        let (found, unknown, outside) = try locate(planning: planning, catalogue: standards)
        progress.step("travel times to the nearest establishment of each typology")
        var minutes: [String: [Double]] = [:]
        for s in standards.standards {
            let sites = found.filter { $0.typology == s.typology }.map { Coordinate($0.location.lon, $0.location.lat) }
            guard !sites.isEmpty else {
                minutes[s.typology] = planning.territory.units.map { _ in .infinity }
                continue
            }
            let index = SphereIndex(sites)
            minutes[s.typology] = planning.territory.units.map { u in
                (index.nearest(Coordinate(u.location.lon, u.location.lat))?.metres ?? .infinity) / metresPerMinute
            }
        }
        let deficit = try DeficitAnalysis.compute(
            territory: planning.territory, plan: plan, zones: planning.zones, catalogue: standards,
            establishments: found, nearestMinutes: minutes)
        return Loaded(
            planning: planning, plan: plan, catalogue: standards, establishments: found, unknownTypes: unknown,
            outside: outside, deficit: deficit)
    }

    /// Reads the registry, matches each row to a typology and places it in a unit (point in
    /// polygon on the units layer). Unknown types and rows outside every unit are listed.
    func locate(planning: PlanningInputs.Loaded, catalogue: StandardsCatalogue) throws -> (
        [Planning.Establishment], [(String, Int)], [String]
    ) {
        let points = try CSVPointReader.read(establishments).layer
        let type = try points.requireField(typeColumn)
        let condition = points.fieldIndex(conditionColumn)
        let id = try idColumn.map { try points.requireField($0) }
        let layer = planning.layer
        let unitField = try layer.requireField(territory.unitId)
        let context = GeometryContext()
        let locator = try PolygonLocator(try LayerGeometries(layer, context: context))
        let toLayer = try ProjContext().transform(from: points.crs ?? .wgs84, to: layer.crs ?? .wgs84)
        var out: [Planning.Establishment] = []
        var unknown: [String: Int] = [:]
        var outside: [String] = []
        var badCondition: [String] = []
        for (k, f) in points.features.enumerated() {
            guard case .point(let c) = f.geometry else { continue }
            let name = id.map { f.attributes[$0].description } ?? "row \(k + 1)"
            let value = f.attributes[type].description
            guard let standard = catalogue.standard(matching: value) else {
                unknown[value.isEmpty ? "(empty)" : value, default: 0] += 1
                continue
            }
            let stateText = condition.map { f.attributes[$0].description } ?? ""
            guard let state = Condition(registry: stateText) else {
                badCondition.append("\(name) '\(stateText)'")
                continue
            }
            guard let i = try locator.locate(try toLayer.apply(c)) else {
                outside.append(name)
                continue
            }
            out.append(
                Planning.Establishment(
                    id: name, typology: standard.typology, unit: layer.features[i].attributes[unitField].description,
                    condition: state, location: GeoPoint(lon: c.x, lat: c.y)))
        }
        guard badCondition.isEmpty else {
            throw PlanningError(
                source: establishments, "condition must be good, fair, poor (or buena, regular, mala) or empty",
                units: badCondition)
        }
        return (out, unknown.sorted { ($0.value, $1.key) > ($1.value, $0.key) }, outside)
    }

    /// Writes the deficit tables: one row per unit and typology, then sums per circuito,
    /// distrito, zona and nation by sector.
    func writeDeficit(_ d: DeficitAnalysis) throws {
        var lines = [
            "level,code,distrito,zona,sector,typology,population,target_population,required,current,poor,missing,repairs,unserved,staff_missing,investment,recurrent"
        ]
        for r in d.rows {
            lines.append(
                [
                    r.level.rawValue, r.code, r.distrito, r.zona, r.sector, CSVText.field(r.typology),
                    fmt(r.population), fmt(r.targetPopulation), fmt(r.required), fmt(r.current, 2), fmt(r.poor, 2),
                    fmt(r.missing), fmt(r.repairs, 2), fmt(r.unserved), fmt(r.staffMissing), fmt(r.investment),
                    fmt(r.recurrent),
                ].joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: out + "/deficit_units.csv")
        for level in ["circuito", "distrito", "zona", "nation"] {
            var t = [
                "level,code,sector,typology,required,current,missing,repairs,unserved,staff_missing,investment,recurrent"
            ]
            for r in d.totals(level) {
                t.append(
                    [
                        level, r.code, r.sector, CSVText.field(r.typology), fmt(r.required), fmt(r.current, 2),
                        fmt(r.missing), fmt(r.repairs, 2),
                        fmt(r.unserved), fmt(r.staffMissing), fmt(r.investment), fmt(r.recurrent),
                    ].joined(separator: ","))
            }
            try AtomicFile.write(t.joined(separator: "\n") + "\n", to: out + "/deficit_\(level).csv")
        }
    }

    /// Markdown: the national table by sector, what was illustrative, what was left out.
    func summary(_ loaded: Loaded, title: String) -> String {
        var md = "# \(title)\n\nPlan `\(plan)`, catalogue `\(catalogue)`, establishments `\(establishments)`"
        md += " (\(loaded.establishments.count) matched and located).\n\n## National deficit by typology\n\n"
        md +=
            "| sector | typology | required | current | missing | to repair | people unserved | staff missing | investment (USD) | recurrent (USD/year) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        for t in loaded.deficit.totals("nation") {
            md +=
                "| \(t.sector) | \(t.typology) | \(fmt(t.required)) | \(fmt(t.current, 1)) | \(fmt(t.missing)) | \(fmt(t.repairs, 1)) | \(fmt(t.unserved)) | \(fmt(t.staffMissing)) | \(money(t.investment)) | \(money(t.recurrent)) |\n"
        }
        let illustrative = loaded.catalogue.standards.filter(\.isIllustrative)
        if !illustrative.isEmpty {
            md +=
                "\n**Illustrative numbers.** These catalogue rows are not official norms or budgets (see their assumption in the catalogue): "
                + illustrative.map {
                    "\($0.typology) (norm: \($0.source == "illustrative" ? "illustrative" : "named norm"), costs: \($0.costSource))"
                }
                .joined(separator: "; ") + ".\n"
        }
        if !loaded.unknownTypes.isEmpty {
            md +=
                "\n**Registry types the catalogue does not know** (not counted as offer): "
                + loaded.unknownTypes.map { "\($0.0) (\($0.1))" }.joined(separator: ", ") + ".\n"
        }
        if !loaded.outside.isEmpty {
            md +=
                "\n**Establishments outside every unit** (\(loaded.outside.count)): "
                + loaded.outside.prefix(30).joined(separator: ", ") + (loaded.outside.count > 30 ? ", …" : "") + ".\n"
        }
        for n in loaded.deficit.notes { md += "\n- \(n)" }
        return md + "\n"
    }

    /// Warnings on stderr for what was not counted.
    func warn(_ loaded: Loaded) {
        if !loaded.unknownTypes.isEmpty {
            Console.note(
                "note: registry types the catalogue does not know (not counted): "
                    + loaded.unknownTypes.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
        }
        if !loaded.outside.isEmpty {
            Console.note(
                "note: \(loaded.outside.count) establishment(s) outside every unit: "
                    + loaded.outside.prefix(10).joined(separator: ", "))
        }
        for n in loaded.deficit.notes { Console.note("note: \(n)") }
    }
}

func fmt(_ v: Double, _ decimals: Int = 0) -> String { JSONText.fixed(v, decimals: decimals) }

/// Whole dollars with thousands separators.
func money(_ v: Double) -> String {
    let digits = String(Int(v.rounded()))
    var out = ""
    for (i, c) in digits.reversed().enumerated() {
        if i > 0 && i % 3 == 0 && c != "-" { out.append(",") }
        out.append(c)
    }
    return String(out.reversed())
}

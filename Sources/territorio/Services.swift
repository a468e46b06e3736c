import ArgumentParser
import Foundation
import GIS
import Optimization
import Planning

struct DeficitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deficit",
        abstract:
            "Current offer, ideal offer from the standards, and the deficit per circuito, distrito, zona and nation.",
        discussion: """
            Establishments are matched to catalogue typologies by --type-column and placed in units by point in
            polygon; the plan maps units to circuitos, distritos and zonas (a parroquia split between k distritos
            counts 1/k in each). Per unit of each typology's level: required (the norm), current (good, fair or
            unknown), poor ones, missing, repairs, people of the target group beyond the maximum travel time
            (unserved, even where the count looks sufficient), staff missing, investment and recurrent cost.
            Writes deficit_units.csv, deficit_{circuito,distrito,zona,nation}.csv and summary.md into --out.
            """)

    @OptionGroup var inputs: ServiceInputs

    func run() throws {
        let loaded = try inputs.load()
        try inputs.writeDeficit(loaded.deficit)
        try AtomicFile.write(inputs.summary(loaded, title: "Deficit"), to: inputs.out + "/summary.md")
        inputs.warn(loaded)
        printNational(loaded.deficit)
    }
}

/// One line per sector of the national table.
func printNational(_ d: DeficitAnalysis) {
    for t in d.totals("nation") {
        print(
            "\(t.sector), \(t.typology): \(fmt(t.missing)) missing of \(fmt(t.required)) required (\(fmt(t.current, 1)) usable, \(fmt(t.repairs, 1)) to repair), \(fmt(t.unserved)) people unserved; investment USD \(money(t.investment)), recurrent USD \(money(t.recurrent))/year"
        )
    }
}

struct PlacementOptions: ParsableArguments {
    @Option(help: "Placement objective: coverage (MCLP) or median (p-median).")
    var objective = "coverage"

    @Option(help: "Extra candidate sites (CSV of points lon/lat, optional id column 'id').")
    var sites: String?

    @Option(help: "Time limit of the MIP solver per problem, seconds.")
    var mipSeconds = 10.0

    @Flag(help: "Do not use the MIP solver (enumeration or vertex substitution only).")
    var noMip = false

    func validate() throws {
        guard PlacementObjective(rawValue: objective) != nil else {
            throw ValidationError("--objective must be coverage or median")
        }
    }

    var solver: (any LinearSolver)? { noMip ? nil : GLPKSolver() }

    @Option(
        help:
            "Population points (CSV lon/lat): each unit's population-weighted centre (the point nearest it) becomes a candidate."
    )
    var populationPoints: String?

    @Option(help: "With --population-points: the weight column (default: every point weighs 1).")
    var populationWeight: String?

    /// Points of a file located in the units: (name, unit id, lon/lat, weight). Points outside
    /// every unit are named on stderr.
    func locatePoints(_ path: String, weightColumn: String?, units: Layer, unitField: Int, locator: PolygonLocator)
        throws -> [(String, String, Coordinate, Double)]
    {
        var out: [(String, String, Coordinate, Double)] = []
        var outside: [String] = []
        for p in try WeightedPointsFile.read(path, weightColumn: weightColumn, to: units.crs ?? .wgs84) {
            guard let i = try locator.locate(p.target) else {
                outside.append(p.name)
                continue
            }
            out.append((p.name, units.features[i].attributes[unitField].description, p.source, p.weight))
        }
        if !outside.isEmpty {
            Console.note(
                "note: \(outside.count) point(s) of \(path) outside every unit, ignored: \(outside.prefix(10).joined(separator: ", "))"
            )
        }
        return out
    }

    func place(_ loaded: ServiceInputs.Loaded, inputs: ServiceInputs) throws -> (
        sites: [PlacedSite], records: [PlacementRecord]
    ) {
        let units = loaded.planning.layer
        let unitField = try units.requireField(inputs.territory.unitId)
        let locator = try PolygonLocator(try LayerGeometries(units, context: GeometryContext()))
        var candidates: [CandidateSite] = []
        if let sites {
            for (name, unit, c, _) in try locatePoints(
                sites, weightColumn: nil, units: units, unitField: unitField, locator: locator)
            {
                candidates.append(CandidateSite(id: name, unit: unit, location: GeoPoint(lon: c.x, lat: c.y)))
            }
        }
        if let populationPoints {
            // Per unit, the point nearest the population-weighted mean centre (in degrees,
            // fine for choosing among points a few km apart).
            var byUnit: [String: [(Coordinate, Double)]] = [:]
            for (_, unit, c, w) in try locatePoints(
                populationPoints, weightColumn: populationWeight, units: units, unitField: unitField, locator: locator)
            {
                byUnit[unit, default: []].append((c, w))
            }
            for (unit, points) in byUnit.sorted(by: { $0.key < $1.key }) {
                let total = points.reduce(0) { $0 + $1.1 }
                guard total > 0 else { continue }
                let x = points.reduce(0) { $0 + $1.0.x * $1.1 } / total
                let y = points.reduce(0) { $0 + $1.0.y * $1.1 } / total
                guard
                    let nearest = points.min(by: {
                        let a = ($0.0.x - x) * ($0.0.x - x) + ($0.0.y - y) * ($0.0.y - y)
                        let b = ($1.0.x - x) * ($1.0.x - x) + ($1.0.y - y) * ($1.0.y - y)
                        return a < b
                    })
                else { continue }
                candidates.append(
                    CandidateSite(
                        id: unit + " population centre", unit: unit,
                        location: GeoPoint(lon: nearest.0.x, lat: nearest.0.y)))
            }
        }
        Progress(quiet: inputs.territory.quiet).step("placing the missing establishments")
        return try Placement.place(
            loaded.deficit, territory: loaded.planning.territory, catalogue: loaded.catalogue,
            establishments: loaded.establishments, sites: candidates,
            objective: PlacementObjective(rawValue: objective) ?? .coverage, metresPerMinute: inputs.metresPerMinute,
            metric: GeodesicMetric(), solver: solver, seconds: mipSeconds)
    }

    /// sites.geojson and placement.csv.
    func write(_ placed: (sites: [PlacedSite], records: [PlacementRecord]), to out: String) throws {
        let fields = [
            Field("typology", .text), Field("sector", .text), Field("level", .text), Field("unit_code", .text),
            Field("site", .text), Field("parroquia", .text), Field("served", .decimal), Field("investment", .decimal),
            Field("recurrent", .decimal),
        ]
        let features = placed.sites.map { s in
            Feature(
                geometry: .point(Coordinate(s.location.lon, s.location.lat)),
                attributes: [
                    .text(s.typology), .text(s.sector), .text(s.level.rawValue), .text(s.area), .text(s.site),
                    .text(s.unit), .decimal((s.served * 10).rounded() / 10), .decimal(s.investment),
                    .decimal(s.recurrent),
                ])
        }
        try GeoJSONWriter().write(
            Layer(source: "placement", kind: .point, crs: .wgs84, fields: fields, features: features),
            to: out + "/sites.geojson")
        var lines = ["unit_code,typology,candidates,placed,stacked,method,value,greedy_value,bound,gap"]
        for r in placed.records {
            lines.append(
                [
                    r.area, CSVText.field(r.typology), String(r.candidates), String(r.placed), String(r.stacked),
                    CSVText.field(r.solution.method), fmt(r.solution.value, 1), fmt(r.greedyValue, 1),
                    fmt(r.solution.bound, 1), fmt(r.solution.gap, 6),
                ].joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: out + "/placement.csv")
    }

    /// A Markdown section and a printed line on how the placement was solved.
    func report(_ placed: (sites: [PlacedSite], records: [PlacementRecord])) -> String {
        let r = placed.records
        let exact = r.filter { $0.solution.gap < 1e-9 }.count
        let methods = Dictionary(grouping: r, by: { $0.solution.method }).mapValues(\.count)
        let worst = r.map(\.solution.gap).max() ?? 0
        let beatGreedy = r.filter {
            objective == "coverage"
                ? $0.solution.value > $0.greedyValue + 1e-6 : $0.solution.value < $0.greedyValue - 1e-6
        }.count
        let served = placed.sites.reduce(0) { $0 + $1.served }
        return
            "\(placed.sites.count) sites placed in \(r.count) problems (\(objective)); \(exact) solved with a zero gap, largest gap \(fmt(worst * 100, 2)) %; methods: \(methods.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); optimisation beat the greedy choice in \(beatGreedy); target-group people served by the new sites (summed over typologies): \(fmt(served))"
    }
}

struct PlaceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "place",
        abstract: "Where the missing establishments should go (maximal covering or p-median).",
        discussion: """
            For every unit and typology with a deficit: candidates are the seats of its parroquias (or pieces),
            the population-weighted centre of each of them (--population-points) and --sites inside it; existing
            establishments are fixed; demand is each parroquia's target group at its seat; the new establishments
            stay inside the unit of their level and serve at most the typology's capacity (capacitated MCLP or
            p-median when the catalogue gives one). Solved exactly as a MIP with
            GLPK when the model fits (else by enumeration, or vertex substitution bounded by the LP relaxation);
            the gap is reported either way. Writes the deficit tables, sites.geojson (typology, unit, people
            served, cost), placement.csv and summary.md.
            """)

    @OptionGroup var inputs: ServiceInputs
    @OptionGroup var placement: PlacementOptions

    func run() throws {
        let loaded = try inputs.load()
        let placed = try placement.place(loaded, inputs: inputs)
        try inputs.writeDeficit(loaded.deficit)
        try placement.write(placed, to: inputs.out)
        let line = placement.report(placed)
        try AtomicFile.write(
            inputs.summary(loaded, title: "Deficit and placement") + "\n## Placement\n\n" + line + ".\n",
            to: inputs.out + "/summary.md")
        inputs.warn(loaded)
        printNational(loaded.deficit)
        print(line)
    }
}

struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Investment and recurrent cost of closing the deficit per unit, sector and level, with totals.",
        discussion: """
            Investment = missing × (infrastructure + equipment + furniture) + repairs × repair share × the same;
            recurrent = missing × (salaries + utilities + maintenance) per year. cost_{circuito,distrito,zona,
            nation}.csv hold each level's own typologies and those below it, so the levels add up to the same
            national total; cost_components.csv splits the national figures by component.
            """)

    @OptionGroup var inputs: ServiceInputs

    func run() throws {
        let loaded = try inputs.load()
        try inputs.writeDeficit(loaded.deficit)
        for level in ["circuito", "distrito", "zona", "nation"] {
            var lines = ["level,code,sector,typology,missing,repairs,investment,recurrent_per_year"]
            for t in loaded.deficit.totals(level) {
                lines.append(
                    "\(level),\(t.code),\(t.sector),\(CSVText.field(t.typology)),\(fmt(t.missing)),\(fmt(t.repairs, 2)),\(fmt(t.investment)),\(fmt(t.recurrent))"
                )
            }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: inputs.out + "/cost_\(level).csv")
        }
        // Components, national.
        let standards = Dictionary(uniqueKeysWithValues: loaded.catalogue.standards.map { ($0.typology, $0) })
        var components: [String: [Double]] = [:]
        for r in loaded.deficit.rows {
            guard let s = standards[r.typology] else { continue }
            let builds = r.missing + r.repairs * s.repairShare
            let add = [
                builds * s.investment.infrastructure, builds * s.investment.equipment, builds * s.investment.furniture,
                r.missing * s.recurrent.salaries, r.missing * s.recurrent.utilities,
                r.missing * s.recurrent.maintenance,
            ]
            components[r.sector] = zip(components[r.sector] ?? [0, 0, 0, 0, 0, 0], add).map { $0 + $1 }
        }
        var lines = ["sector,infrastructure,equipment,furniture,salaries,utilities,maintenance"]
        for (sector, c) in components.sorted(by: { $0.key < $1.key }) {
            lines.append(([sector] + c.map { fmt($0) }).joined(separator: ","))
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: inputs.out + "/cost_components.csv")
        let totals = loaded.deficit.totals("nation")
        let investment = totals.reduce(0) { $0 + $1.investment }, recurrent = totals.reduce(0) { $0 + $1.recurrent }
        try AtomicFile.write(
            inputs.summary(loaded, title: "Cost of the deficit")
                + "\nTotal: investment USD \(money(investment)), recurrent USD \(money(recurrent)) a year.\n",
            to: inputs.out + "/summary.md")
        inputs.warn(loaded)
        printNational(loaded.deficit)
        print("total: investment USD \(money(investment)); recurrent USD \(money(recurrent)) a year")
    }
}

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "A multi-year plan to close the gap under GDP scenarios.",
        discussion: """
            Places the missing establishments (as `place`), then for each scenario of --scenarios (a yearly budget
            = GDP path × programme share; population growth; sector priorities) chooses the year each site is
            built, maximising priority-weighted newly served population while each year's investment plus the
            recurrent cost of everything built before stays within that year's budget (MIP with GLPK, and a
            feasible greedy; the LP relaxation bounds the gap). Writes schedule_<scenario>.csv (per year and
            sector: spending, % of GDP, establishments left), sites_by_year.csv and summary.md with the year each
            sector's gap closes.
            """)

    @OptionGroup var inputs: ServiceInputs
    @OptionGroup var placement: PlacementOptions

    @Option(help: "Budget scenarios (CSV; see Data/scenarios.csv).")
    var scenarios = "Data/scenarios.csv"

    @Option(help: "Horizon, years.")
    var horizon = 10

    @Option(help: "Time limit of the scheduling MIP per scenario, seconds.")
    var scheduleSeconds = 30.0

    func validate() throws {
        guard (1...50).contains(horizon) else { throw ValidationError("--horizon must be 1…50 years") }
    }

    func run() throws {
        let table = try CSVTable.read(scenarios)
        let list = try BudgetScenario.read(header: table.header, rows: table.rows, source: scenarios)
        let loaded = try inputs.load()
        let placed = try placement.place(loaded, inputs: inputs)
        try inputs.writeDeficit(loaded.deficit)
        try placement.write(placed, to: inputs.out)
        let items = placed.sites.enumerated().map { k, s in
            BuildItem(
                id: "\(s.area)/\(s.typology)/\(s.site)#\(k)", sector: s.sector, investment: s.investment,
                recurrent: s.recurrent, served: s.served)
        }
        var md = inputs.summary(loaded, title: "Closing the gap over \(horizon) years") + "\n## Placement\n\n"
        md += placement.report(placed) + ".\n\n## Scenarios\n\n"
        var byYear = ["scenario,year,unit_code,typology,site,parroquia,investment,recurrent_per_year,served"]
        let sectors = Set(items.map(\.sector)).sorted()
        md +=
            "| scenario | GDP growth | budget year 1 (USD) | "
            + sectors.map { "\($0) closes" }.joined(separator: " | ") + " | method | gap |\n|---|---:|---:|"
            + sectors.map { _ in "---|" }.joined() + "---|---:|\n"
        for scenario in list {
            Progress(quiet: inputs.territory.quiet).step("scheduling (\(scenario.name))")
            let s = try Scheduler.schedule(
                items, scenario: scenario, horizon: horizon, solver: placement.solver, seconds: scheduleSeconds)
            var lines = ["scenario,year,sector,budget,gdp,spending,share_of_gdp_percent,establishments_left"]
            for t in 0..<horizon {
                for sector in sectors {
                    let spend = s.spending[sector]?[t] ?? 0
                    lines.append(
                        "\(scenario.name),\(scenario.startYear + t),\(sector),\(fmt(s.budget[t])),\(fmt(s.gdp[t])),\(fmt(spend)),\(fmt(100 * spend / max(s.gdp[t], 1e-9), 5)),\(s.remaining[sector]?[t] ?? 0)"
                    )
                }
            }
            try AtomicFile.write(
                lines.joined(separator: "\n") + "\n", to: inputs.out + "/schedule_\(scenario.name).csv")
            for (i, y) in s.year.enumerated() {
                guard let y else { continue }
                let p = placed.sites[i]
                byYear.append(
                    "\(scenario.name),\(scenario.startYear + y),\(p.area),\(CSVText.field(p.typology)),\(p.site),\(p.unit),\(fmt(p.investment)),\(fmt(p.recurrent)),\(fmt(p.served, 1))"
                )
            }
            func closing(_ sector: String) -> String {
                guard let c = s.closes[sector], let year = c else { return "not within horizon" }
                return String(scenario.startYear + year)
            }
            md +=
                "| \(scenario.name) | \(fmt(scenario.gdpGrowth * 100, 1)) % | \(money(s.budget.first ?? 0)) | "
                + sectors.map(closing).joined(separator: " | ") + " | \(s.method) | \(fmt(s.gap * 100, 2)) % |\n"
            print(
                "\(scenario.name): "
                    + sectors.map { "\($0) closes \(closing($0))" }.joined(separator: ", ")
                    + "; built \(s.year.compactMap { $0 }.count) of \(items.count); \(s.method), gap \(fmt(s.gap * 100, 2)) %"
            )
        }
        try AtomicFile.write(byYear.joined(separator: "\n") + "\n", to: inputs.out + "/sites_by_year.csv")
        try AtomicFile.write(md, to: inputs.out + "/summary.md")
        inputs.warn(loaded)
    }
}

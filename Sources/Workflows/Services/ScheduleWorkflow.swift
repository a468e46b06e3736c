import GIS
import Planning

/// What `schedule` adds to placement: the budget scenarios and the horizon.
public struct ScheduleSettings: Sendable {
    public var scenarios = DataFiles.path(DataFiles.scenarios)
    public var horizon = 10
    /// The year by which the budget needed must close every sector (nil: the horizon's last).
    public var closeBy: Int?
    /// The scheduling MIP's solver. CBC's search stops at ``scheduleNodes`` nodes, the same on
    /// every machine, so its best schedule can be used; GLPK stops on the clock only, so only a
    /// proven optimum of it replaces the greedy.
    public var scheduleSolver = MIPSolver.cbc
    /// Branch-and-bound nodes per scenario (CBC).
    public var scheduleNodes = 2_000
    /// Time limit of the scheduling MIP per scenario, seconds: GLPK's limit; with CBC a safety
    /// net (a search it stops is not used and the summary says so).
    public var scheduleSeconds = 300.0

    public init() {}

    func validated() throws -> ScheduleSettings {
        _ = try Checked.integer(horizon, in: 1...50, "--horizon")
        if let closeBy { _ = try Checked.integer(closeBy, in: 1900...2300, "--close-by") }
        _ = try Checked.integer(scheduleNodes, in: 1...10_000_000, "--schedule-nodes")
        _ = try Checked.number(scheduleSeconds, in: 0.01...86_400, "--schedule-seconds")
        return self
    }

    /// Reads and checks the scenario file; names must be unique and usable in a file name.
    public func readScenarios() throws -> [BudgetScenario] {
        let table = try CSVTable.read(scenarios)
        let list = try BudgetScenario.read(header: table.header, rows: table.rows, source: scenarios)
        var seen: Set<String> = []
        for (k, s) in list.enumerated() {
            guard !s.name.isEmpty, s.name.count <= 64,
                s.name.unicodeScalars.allSatisfy({
                    ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                        || "-_".unicodeScalars.contains($0)
                })
            else {
                throw PlanningError(
                    source: scenarios,
                    "line \(table.lines[k]), field 'scenario': names are letters, digits, '-' or '_' (at most 64), not '\(s.name)'"
                )
            }
            guard seen.insert(s.name.lowercased()).inserted else {
                throw PlanningError(
                    source: scenarios, "line \(table.lines[k]), field 'scenario': '\(s.name)' appears twice")
            }
        }
        return list
    }
}

/// `schedule`: places the missing establishments, then chooses the year each is built under
/// every budget scenario (``Scheduler``).
public enum ScheduleWorkflow {
    /// Writes the deficit tables, sites, placement table, schedule_<scenario>.csv,
    /// sites_by_year.csv, unbuilt.csv, spending_by_area.csv, budget_needed.csv and summary.md;
    /// returns one line per scenario.
    public static func run(
        _ loaded: LoadedServices, scenarios list: [BudgetScenario], settings: ScheduleSettings,
        placement: PlacementSettings, into out: OutputSet, log: WorkflowLog
    ) throws -> [String] {
        let settings = try settings.validated()
        let horizon = settings.horizon
        let placed = try PlacementWorkflow.place(loaded, settings: placement, log: log)
        try ServiceTables.writeDeficit(loaded, into: out)
        try PlacementWorkflow.write(placed, into: out, geoPackage: placement.geoPackage)
        var md = ServiceTables.summary(loaded, title: "Closing the gap over \(horizon) years") + "\n## Placement\n\n"
        md += PlacementWorkflow.report(placed, objective: placement.objective) + ".\n\n## Scenarios\n\n"
        md +=
            "Each scenario dates every item: the placed sites, the repair or replacement of the poor establishments the norm counts on, and the establishments the population's growth adds (needed from the first year the grown population is short of them; their sites are chosen when they are built). A sector closes in the first year from whose end on nothing it needs is left.\n\n"
        var byYear = [
            "scenario,year,kind,unit_code,distrito,zona,typology,site,parroquia,needed_from,investment,recurrent_per_year,served"
        ]
        var unbuilt = ["scenario,kind,unit_code,distrito,zona,typology,site,needed_from,investment,recurrent_per_year"]
        var byArea = ["scenario,year,zona,distrito,sector,investment,recurrent,total"]
        var needed = [
            "scenario,close_by,programme_share_percent,budget_first_year,scenario_share_percent,scenario_budget_first_year"
        ]
        let sectors = Set(loaded.catalogue.standards.map(\.sector)).sorted()
        var table =
            "| scenario | GDP growth | population growth | budget year 1 (USD) | "
            + sectors.map { "\($0) closes" }.joined(separator: " | ")
            + " | built | repaired | grown | unbuilt | method | gap |\n|---|---:|---:|---:|"
            + sectors.map { _ in "---|" }.joined() + "---:|---:|---:|---:|---|---:|\n"
        var budgetTable =
            "\n## Budget needed\n\nThe smallest constant share of GDP with which every sector closes by \(settings.closeBy.map(String.init) ?? "the horizon's last year") (the greedy schedule, by bisection to 10⁻⁶ of the share; what growth asks for later is built by the year it is needed).\n\n| scenario | close by | share of GDP | budget year 1 (USD) | the scenario's share |\n|---|---:|---:|---:|---:|\n"
        var printed: [String] = []
        for (done, scenario) in list.enumerated() {
            log.step("scheduling (\(scenario.name))")
            log.progress("scenarios (\(scenario.name))", done, list.count)
            defer { log.progress("scenarios", done + 1, list.count) }
            let items = try ClosingProgramme.items(
                deficit: loaded.deficit, catalogue: loaded.catalogue, sites: placed.sites,
                populationGrowth: scenario.populationGrowth, horizon: horizon)
            let s = try Scheduler.schedule(
                items, scenario: scenario, horizon: horizon,
                solver: placement.useMIP ? settings.scheduleSolver.solver : nil, seconds: settings.scheduleSeconds,
                nodeLimit: settings.scheduleSolver == .cbc ? settings.scheduleNodes : nil)
            var lines = ["scenario,year,sector,budget,gdp,spending,share_of_gdp_percent,establishments_left"]
            for t in 0..<horizon {
                for sector in sectors {
                    let spend = s.spending[sector]?[t] ?? 0
                    lines.append(
                        "\(scenario.name),\(scenario.startYear + t),\(sector),\(fmt(s.budget[t])),\(fmt(s.gdp[t])),\(fmt(spend)),\(fmt(100 * spend / max(s.gdp[t], 1e-9), 5)),\(s.remaining[sector]?[t] ?? 0)"
                    )
                }
            }
            try out.write(lines.joined(separator: "\n") + "\n", to: "schedule_\(scenario.name).csv")
            // Spending per zona, distrito and sector each year: investment the year an item is
            // built, its recurrent cost every later year.
            var area: [SpendingKey: (investment: Double, recurrent: Double)] = [:]
            for (i, item) in items.enumerated() {
                let common = [
                    scenario.name, item.kind.rawValue, item.area, item.distrito, item.zona,
                    CSVText.field(item.typology),
                    CSVText.field(item.site),
                ]
                guard let y = s.year[i] else {
                    unbuilt.append(
                        (common + [
                            String(scenario.startYear + item.neededFrom), fmt(item.investment), fmt(item.recurrent),
                        ]).joined(separator: ","))
                    continue
                }
                byYear.append(
                    ([scenario.name, String(scenario.startYear + y)] + common.dropFirst() + [
                        item.unit,
                        String(scenario.startYear + item.neededFrom), fmt(item.investment), fmt(item.recurrent),
                        fmt(item.served, 1),
                    ]).joined(separator: ","))
                for t in y..<horizon {
                    let k = SpendingKey(year: t, zona: item.zona, distrito: item.distrito, sector: item.sector)
                    if t == y { area[k, default: (0, 0)].investment += item.investment }
                    if t > y { area[k, default: (0, 0)].recurrent += item.recurrent }
                }
            }
            for (k, v) in area.sorted(by: { $0.key < $1.key }) {
                byArea.append(
                    "\(scenario.name),\(scenario.startYear + k.year),\(k.zona),\(k.distrito),\(k.sector),\(fmt(v.investment)),\(fmt(v.recurrent)),\(fmt(v.investment + v.recurrent))"
                )
            }
            func closing(_ sector: String) -> String {
                guard let c = s.closes[sector], let year = c else { return "not within horizon" }
                return String(scenario.startYear + year)
            }
            func count(_ kind: BuildKind) -> Int {
                items.indices.filter { items[$0].kind == kind && s.year[$0] != nil }.count
            }
            let left = s.year.filter { $0 == nil }.count
            table +=
                "| \(scenario.name) | \(fmt(scenario.gdpGrowth * 100, 1)) % | \(fmt(scenario.populationGrowth * 100, 2)) % | \(money(s.budget.first ?? 0)) | "
                + sectors.map(closing).joined(separator: " | ")
                + " | \(count(.new)) | \(count(.repair)) | \(count(.growth)) | \(left) | \(s.method) | \(fmt(s.gap * 100, 2)) % |\n"
            let closeBy = (settings.closeBy ?? scenario.startYear + horizon - 1) - scenario.startYear
            let need = Scheduler.budgetNeeded(items, scenario: scenario, horizon: horizon, closeBy: closeBy)
            let closeYear = String(scenario.startYear + closeBy)
            if let need {
                needed.append(
                    "\(scenario.name),\(closeYear),\(fmt(need.share * 100, 5)),\(fmt(need.firstYear)),\(fmt(scenario.programmeShare * 100, 5)),\(fmt(scenario.budget(year: 0)))"
                )
                budgetTable +=
                    "| \(scenario.name) | \(closeYear) | \(fmt(need.share * 100, 4)) % | \(money(need.firstYear)) | \(fmt(scenario.programmeShare * 100, 4)) % |\n"
            } else {
                needed.append(
                    "\(scenario.name),\(closeYear),,,\(fmt(scenario.programmeShare * 100, 5)),\(fmt(scenario.budget(year: 0)))"
                )
                let why =
                    (0..<horizon).contains(closeBy)
                    ? "not reachable (even all of GDP)"
                    : "outside the horizon (\(scenario.startYear)–\(scenario.startYear + horizon - 1))"
                budgetTable +=
                    "| \(scenario.name) | \(closeYear) | \(why) | | \(fmt(scenario.programmeShare * 100, 4)) % |\n"
            }
            printed.append(
                "\(scenario.name): "
                    + sectors.map { "\($0) closes \(closing($0))" }.joined(separator: ", ")
                    + "; built \(count(.new)) + repaired \(count(.repair)) + grown \(count(.growth)) of \(items.count); \(s.method), gap \(fmt(s.gap * 100, 2)) %"
                    + (need.map {
                        "; closing by \(closeYear) needs \(fmt($0.share * 100, 4)) % of GDP (USD \(money($0.firstYear)) in year 1)"
                    }
                        ?? "; cannot close by \(closeYear)")
            )
        }
        md += table + budgetTable
        try out.write(byYear.joined(separator: "\n") + "\n", to: "sites_by_year.csv")
        try out.write(unbuilt.joined(separator: "\n") + "\n", to: "unbuilt.csv")
        try out.write(byArea.joined(separator: "\n") + "\n", to: "spending_by_area.csv")
        try out.write(needed.joined(separator: "\n") + "\n", to: "budget_needed.csv")
        try out.write(md, to: "summary.md")
        return printed
    }
}

/// One row of spending_by_area.csv: a year index, zona, distrito and sector, ordered in that
/// order (years as numbers, so year 10 comes after year 9).
struct SpendingKey: Hashable, Comparable {
    var year: Int
    var zona: String
    var distrito: String
    var sector: String

    static func < (a: SpendingKey, b: SpendingKey) -> Bool {
        (a.year, a.zona, a.distrito, a.sector) < (b.year, b.zona, b.distrito, b.sector)
    }
}

import GIS
import Planning

/// What `schedule` adds to placement: the budget scenarios and the horizon.
public struct ScheduleSettings: Sendable {
    public var scenarios = DataFiles.path(DataFiles.scenarios)
    public var horizon = 10
    /// Time limit of the scheduling MIP per scenario, seconds.
    public var scheduleSeconds = 30.0

    public init() {}

    func validated() throws -> ScheduleSettings {
        _ = try Checked.integer(horizon, in: 1...50, "--horizon")
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
    /// sites_by_year.csv and summary.md; returns one line per scenario.
    public static func run(
        _ loaded: LoadedServices, scenarios list: [BudgetScenario], settings: ScheduleSettings,
        placement: PlacementSettings, into out: OutputSet, log: WorkflowLog
    ) throws -> [String] {
        let settings = try settings.validated()
        let horizon = settings.horizon
        let placed = try PlacementWorkflow.place(loaded, settings: placement, log: log)
        try ServiceTables.writeDeficit(loaded, into: out)
        try PlacementWorkflow.write(placed, into: out, geoPackage: placement.geoPackage)
        let items = placed.sites.enumerated().map { k, s in
            BuildItem(
                id: "\(s.area)/\(s.typology)/\(s.site)#\(k)", sector: s.sector, investment: s.investment,
                recurrent: s.recurrent, served: s.served)
        }
        var md = ServiceTables.summary(loaded, title: "Closing the gap over \(horizon) years") + "\n## Placement\n\n"
        md += PlacementWorkflow.report(placed, objective: placement.objective) + ".\n\n## Scenarios\n\n"
        var byYear = ["scenario,year,unit_code,typology,site,parroquia,investment,recurrent_per_year,served"]
        let sectors = Set(items.map(\.sector)).sorted()
        md +=
            "| scenario | GDP growth | budget year 1 (USD) | "
            + sectors.map { "\($0) closes" }.joined(separator: " | ") + " | method | gap |\n|---|---:|---:|"
            + sectors.map { _ in "---|" }.joined() + "---|---:|\n"
        var printed: [String] = []
        for (done, scenario) in list.enumerated() {
            log.step("scheduling (\(scenario.name))")
            log.progress("scenarios (\(scenario.name))", done, list.count)
            defer { log.progress("scenarios", done + 1, list.count) }
            let s = try Scheduler.schedule(
                items, scenario: scenario, horizon: horizon, solver: placement.solver,
                seconds: settings.scheduleSeconds)
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
            printed.append(
                "\(scenario.name): "
                    + sectors.map { "\($0) closes \(closing($0))" }.joined(separator: ", ")
                    + "; built \(s.year.compactMap { $0 }.count) of \(items.count); \(s.method), gap \(fmt(s.gap * 100, 2)) %"
            )
        }
        try out.write(byYear.joined(separator: "\n") + "\n", to: "sites_by_year.csv")
        try out.write(md, to: "summary.md")
        return printed
    }
}

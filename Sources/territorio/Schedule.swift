import ArgumentParser
import Planning
import Workflows

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "A multi-year plan to close the gap under GDP scenarios.",
        discussion: """
            Places the missing establishments (as `place`), then for each scenario of --scenarios (a yearly budget
            = GDP path × programme share; population growth; sector priorities) dates every item — the placed
            sites, the repairs of poor establishments, the establishments population growth adds — maximising
            priority-weighted newly served population while each year's investment plus the recurrent cost of
            everything built before stays within that year's budget (CBC within --schedule-nodes, the same on
            every machine, and a feasible greedy; the bound gives the gap). Writes schedule_<scenario>.csv (per
            year and sector: spending, % of GDP, items left), spending_by_area.csv (zona, distrito),
            sites_by_year.csv, unbuilt.csv, budget_needed.csv (the smallest share of GDP closing every sector by
            --close-by) and summary.md with the year each sector's gap closes.
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio schedule out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop \\
                  --establishments Data/demo/establishments.csv \\
                  --scenarios Data/demo/scenarios.csv --schedule-nodes 500 \\
                  --out out/help/schedule
            """)

    @OptionGroup var inputs: ServiceArguments
    @OptionGroup var placement: PlacementArguments

    @Option(
        help: "Budget scenarios (CSV; see Data/scenarios.csv; default: the national scenarios shipped with territorio)."
    )
    var scenarios: String?

    @Option(help: "Horizon, years (1–50).")
    var horizon = 10

    @Option(help: "The year by which the budget needed must close every sector (default: the horizon's last year).")
    var closeBy: Int?

    @Option(
        help:
            "Solver of the scheduling MIP: cbc (stops after --schedule-nodes nodes, the same on every machine) or glpk (stops on the clock; only a proven optimum replaces the greedy)."
    )
    var scheduleSolver: MIPSolver = .cbc

    @Option(help: "Branch-and-bound nodes of the scheduling MIP per scenario (cbc).")
    var scheduleNodes = 2_000

    @Option(help: "Time limit of the scheduling MIP per scenario, seconds (glpk's limit; a safety net for cbc).")
    var scheduleSeconds = 300.0

    func run() throws {
        var settings = ScheduleSettings()
        if let scenarios { settings.scenarios = scenarios }
        settings.horizon = horizon
        settings.closeBy = closeBy
        settings.scheduleSeconds = scheduleSeconds
        settings.scheduleSolver = scheduleSolver
        settings.scheduleNodes = scheduleNodes
        let list = try settings.readScenarios()
        let loaded = try inputs.load()
        let lines = try OutputSet.run(into: inputs.out, tables: inputs.tables.format) { set in
            try ScheduleWorkflow.run(
                loaded, scenarios: list, settings: settings, placement: placement.settings, into: set,
                log: inputs.log)
        }
        for n in ServiceTables.notes(loaded) { Console.note(n) }
        for line in lines { print(line) }
    }
}

import ArgumentParser
import Foundation
import GIS
import Planning
import Workflows

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose a nested distrito/circuito plan from parroquias with population.",
        discussion: """
            Distritos are built inside each province from whole contiguous cantones (only the cantones of
            the table of divisible cantones, by default Quito, Guayaquil, Cuenca, Ambato and Santo Domingo,
            are divided, into distritos of parroquias at their own target), then circuitos inside each
            distrito from whole parroquias (with --split, oversized ones cut into pieces). Each subproblem
            is a contiguous partition that minimises balance² + compactness (population moment of inertia
            around the seat) + access (mean distance to the seat) + shape (inverse Polsby–Popper less one,
            --shape-weights) + the distance bounds' penalty, solved exactly by enumeration when tiny, else
            by seeded region growing and local search, then proven optimal (or improved) by set
            partitioning over every part that could beat it, through CBC, where those parts are at most
            30,000 (up to 500,000, column generation first keeps only those whose reduced cost could);
            elsewhere bounded by a capacitated p-median relaxation. subproblems.csv gives each one's
            method, lower bound and gap. Distances run in a straight line from each unit's interior point,
            or from where --people-points gather, and by road with --travel roads --roads LAYER. The same --seed gives
            the same plan. Writes into --out: plan.csv, report.json, report.md, subproblems.csv,
            distritos.geojson and circuitos.geojson (and the units with --split).
            With --from PLAN --repair [--lock CODES]: changes only what breaks a hard rule, moving the fewest
            people, writes moves.csv with the rule each move fixes; exit code 1 if violations remain.
            Examples, on the demo territory:
              territorio propose --units shapes/demo/parroquias.shp --links auto \\
                  --split --split-points Data/demo/population_points.csv \\
                  --split-weight pop --out out/help/plan
              territorio propose --units shapes/demo/parroquias.shp --links auto \\
                  --travel roads --roads shapes/demo/roads.shp --out out/help/plan_roads
            """)

    @OptionGroup var tables: TableOptions
    @OptionGroup var inputs: PlanningArguments
    @OptionGroup var travel: TravelArguments

    @Option(help: "Random seed.")
    var seed: UInt64 = 2012

    @Option(help: "Fix the national number of distritos (apportioned by population; at most one per unit).")
    var distritos: Int?

    @Option(help: "Fix the national number of circuitos (apportioned by population; at most one per unit).")
    var circuitos: Int?

    @Option(help: "Only these provinces (comma-separated 2-digit codes).")
    var province: String?

    @Option(help: "Objective weights balance,compactness,access (each 0–1,000,000).")
    var weights = "1,0.05,0.05"

    @Option(
        help:
            "Shape weights distritos,circuitos (each 0–1,000,000): × (perimeter² ÷ (4π area) − 1) of each part, the inverse Polsby–Popper score less one, traded against balance."
    )
    var shapeWeights = "\(ProposalOptions().distritoShape),\(ProposalOptions().circuitoShape)"

    @Option(help: "Restarts of the heuristic per subproblem (1–10,000).")
    var restarts = 24

    @Option(
        help:
            "Distrito extent and accessibility: the population-weighted mean distance from its people to the seat must stay within this many km (1–10,000), a whole cantón alone excepted."
    )
    var distritoMeanKm = 40.0

    @Option(help: "Distrito extent: no populated unit farther than this many km from the seat (1–10,000).")
    var distritoMaxKm = 120.0

    @Flag(help: "Distrito counts and shapes follow population alone (no distance bounds).")
    var noDistanceBounds = false

    @Option(
        help: "Start from this plan (CSV, or polygons with distrito[/circuito] fields) and repair it (with --repair).")
    var from: String?

    @Flag(help: "With --from: change only what breaks a hard rule, moving the fewest people; list every move.")
    var repair = false

    @Option(help: "With --repair: parroquia or distrito codes that must not move (comma-separated).")
    var lock: String?

    @Option(help: "Output folder (written all together at the end, or not at all).")
    var out: String

    @Option(
        help:
            "Solver that proves subproblems optimal by set partitioning where the parts that could beat the heuristic's are few: cbc (default; node-limited, the same result on every machine) or glpk. Column generation's LPs go to GLPK either way."
    )
    var partitionSolver: MIPSolver = .cbc

    @Flag(help: "Enumeration of small subproblems and the heuristic only: no set partitioning.")
    var noSetPartitioning = false

    @Flag(
        help:
            "Prove two-part subproblems of up to 64 units that set partitioning leaves open (the cities of two distritos) by branch and bound over their contiguous bipartitions: the objective (in the cities nearly balance alone) proven optimal, though the optimum can be less round than the heuristic's split."
    )
    var proveBipartitions = false

    @Flag(help: "Also write plan.gpkg: distritos, circuitos, units (with their codes) and pieces in one GeoPackage.")
    var gpkg = false

    func run() throws {
        var settings = ProposalSettings()
        settings.seed = seed
        settings.distritos = distritos
        settings.circuitos = circuitos
        settings.provinces = province.map { Set($0.split(separator: ",").map(String.init)) }
        settings.weights = try ProposalSettings.weights(weights)
        settings.shapeWeights = try ProposalSettings.shapeWeights(shapeWeights)
        settings.restarts = restarts
        settings.distritoMeanKm = noDistanceBounds ? nil : distritoMeanKm
        settings.distritoMaxKm = noDistanceBounds ? nil : distritoMaxKm
        settings.geoPackage = gpkg
        settings.partitionSolver = noSetPartitioning ? nil : partitionSolver
        settings.proveBipartitions = proveBipartitions
        if from != nil, !repair {
            throw ValidationError("--from needs --repair (re-proposing around locks is not built yet)")
        }
        if from == nil, repair || lock != nil { throw ValidationError("--repair and --lock need --from PLAN") }
        let (loaded, checked) = try ProposalWorkflow.load(
            inputs.options(distances: try travel.planDistances()), settings: settings, log: inputs.log)
        if let from {
            try runRepair(from, loaded: loaded)
            return
        }
        let summary = try OutputSet.run(into: out, tables: tables.format) { set in
            try ProposalWorkflow.run(loaded, settings: checked, into: set, log: inputs.log)
        }
        let report = summary.report
        let d = ValidationReport.summary(report.distritos), c = ValidationReport.summary(report.circuitos)
        let optimal = summary.subproblems.filter(\.optimal)
        print("proposed \(d.count) distritos and \(c.count) circuitos (seed \(seed)) → \(out)")
        print(
            String(
                format: "distritos: max |deviation| %.1f %%, mean %.1f %%; circuitos: max %.1f %%, mean %.1f %%",
                100 * d.maxAbs, 100 * d.meanAbs, 100 * c.maxAbs, 100 * c.meanAbs))
        print(
            String(
                format:
                    "compactness (RMS distance to seat): distritos %.1f km, circuitos %.1f km; access (mean distance to seat): %.1f km, %.1f km",
                d.meanInertiaKm, c.meanInertiaKm, d.meanAccessKm, c.meanAccessKm))
        print(
            "\(optimal.count) of \(summary.subproblems.count) subproblems solved to optimality; largest gap \(JSONText.fixed((summary.subproblems.map(\.gap).max() ?? 0) * 100, decimals: 1)) %"
        )
        print(
            report.valid
                ? "the plan satisfies every rule" : "the plan breaks \(report.violations.count) rule(s): see report.md")
        for line in PlanQuality.lines(summary.quality) { print(line) }
        for n in summary.notes.prefix(10) { Console.note("note: \(n)") }
    }

    func runRepair(_ path: String, loaded: LoadedTerritory) throws {
        let locks = (lock ?? "").split(separator: ",").map(String.init)
        let r = try OutputSet.run(into: out, tables: tables.format) { set in
            try RepairWorkflow.run(path, locks: locks, loaded: loaded, into: set)
        }
        let people = r.moves.reduce(0) { $0 + $1.population }
        print(
            "repaired \(path): \(r.before.violations.count) violation(s) before, \(r.after.violations.count) after; \(r.moves.count) move(s), \(people) people moved → \(out)"
        )
        for m in r.moves {
            print(
                "  \(m.units.joined(separator: "+")): \(m.from ?? "unplanned") → \(m.to) (\(m.population) people) fixes \(m.rule)"
            )
        }
        for v in r.after.violations.prefix(20) { print("  still broken [\(v.rule)] \(v.unit ?? ""): \(v.message)") }
        if !r.after.valid { throw CheckFailed() }
    }
}

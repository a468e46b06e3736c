import ArgumentParser
import Foundation
import GIS
import Workflows

struct LocateFacilities: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate-facilities",
        abstract: "Where to put p facilities: maximal covering, p-median, set covering or p-center, solved exactly.",
        discussion: """
            Demand: weighted points (a CSV of lon/lat points, or any layer; polygons count by their point on
            surface, computed in the layer's CRS). Candidates: --candidates, or the demand points themselves.
            Existing establishments (--fixed) are open whatever the answer and not counted among the new sites.
            Distances: geodesic km (default), planar km in --planar-crs (as GeoPandas/spopt measure on
            projected layers), or travel minutes (--distance travel with the --travel options of `access`).

            Problems: mclp (--sites, --radius: most weight within the radius), p-median (--sites: least
            weighted distance), lscp (--radius: fewest sites covering every demand point), p-center (--sites:
            least largest distance). Capacities (--capacity FIELD of the candidates) make every problem
            capacitated. The models are reduced first (demand grouped, dominated candidates and rows dropped,
            p-median by the radius formulation with row generation) and solved by GLPK from the best heuristic
            start (CBC by default, --solver glpk); the proven bound and gap are reported whether or not
            optimality is proven.

            Writes sites.csv and sites.geojson (new and fixed sites, weight served), assignment.csv (each demand
            point's site and distance) and summary.json (objective, bound, gap, method, reductions) into --out,
            all together or not at all. Prints the objective and the time taken.

            Examples:
              territorio locate-facilities parroquias.shp --weight POB_2022 --id DPA_PARROQ \\
                --problem mclp --sites 140 --radius 10 --distance planar --out mclp/
              territorio locate-facilities demand.csv --weight people --candidates sites.csv \\
                --capacity capacity --fixed schools.csv --problem p-median --sites 12 --out plan/
            """)

    @Argument(help: "Demand points (.csv lon/lat, .geojson, .shp; polygons by their point on surface).")
    var demand: String

    @Option(help: "Field of the demand holding its weight (default: 1 per point).")
    var weight: String?

    @Option(help: "Field naming the demand points (default: 'id' when present, else the row).")
    var id: String?

    @Option(help: "mclp, p-median, lscp or p-center.")
    var problem: LocationSettings.Problem

    @Option(help: "New sites to open (mclp, p-median, p-center).")
    var sites: Int?

    @Option(help: "Coverage radius (mclp, lscp): km, or minutes with --distance travel.")
    var radius: Double?

    @Option(help: "geodesic, planar or travel.")
    var distance: LocationSettings.Distance = .geodesic

    @Option(help: "CRS of --distance planar.")
    var planarCRS = "EPSG:32717"

    @Option(help: "Candidate sites (default: the demand points).")
    var candidates: String?

    @Option(help: "Field naming the candidates.")
    var candidateId: String?

    @Flag(help: "With --candidates: the demand points are candidates too.")
    var demandAsCandidates = false

    @Option(help: "Field of the candidates holding the weight each can serve (makes the problem capacitated).")
    var capacity: String?

    @Option(help: "Existing establishments, open whatever the answer.")
    var fixed: String?

    @Option(help: "Field naming the fixed sites.")
    var fixedId: String?

    @Option(help: "Field of the fixed sites holding their capacity (default: unlimited).")
    var fixedCapacity: String?

    @Option(help: "Time limit of each MIP solve, seconds.")
    var mipSeconds = 60.0

    @Option(help: "MIP solver: cbc or glpk (LPs and row generation use GLPK either way).")
    var solver: LocationSettings.Solver = .cbc

    @OptionGroup var tables: TableOptions
    @OptionGroup var travel: TravelArguments

    @Option(name: [.short, .long], help: "Output folder.")
    var out: String

    @Flag(help: "No progress messages on stderr.")
    var quiet = false

    func run() throws {
        var settings = LocationSettings(problem: problem, demand: demand)
        settings.demandWeight = weight
        settings.demandId = id
        settings.sites = sites
        settings.radius = radius
        settings.distance = distance
        settings.planarCRS = CRS.parse(planarCRS)
        settings.candidates = candidates
        settings.candidateId = candidateId
        settings.demandAsCandidates = demandAsCandidates
        settings.capacity = capacity
        settings.fixed = fixed
        settings.fixedId = fixedId
        settings.fixedCapacity = fixedCapacity
        settings.mipSeconds = mipSeconds
        settings.solver = solver
        settings.travel = try travel.settings(defaultSpeed: 30)
        let log = Console.log(quiet: quiet)
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try OutputSet.run(into: out, tables: tables.format) { set in
            let outcome = try LocationWorkflow.run(settings, log: log)
            try outcome.write(into: set)
            return outcome
        }
        for note in outcome.notes { Console.note(note) }
        let seconds =
            Double((clock.now - started).components.attoseconds) / 1e18
            + Double((clock.now - started).components.seconds)
        let s = outcome.solution
        print(outcome.objectiveLine)
        print(
            "bound \(JSONText.number(s.bound)), gap \(JSONText.fixed(100 * s.gap, decimals: 4)) %: \(s.method); \(JSONText.fixed(seconds, decimals: 2)) s"
        )
    }
}

extension LocationSettings.Problem: ExpressibleByArgument {}
extension LocationSettings.Distance: ExpressibleByArgument {}
extension MIPSolver: ExpressibleByArgument {}

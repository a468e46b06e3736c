import ArgumentParser
import Foundation
import GIS
import Workflows

struct Access: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accessibility and coverage per unit: nearest establishment, coverage, 2SFCA, capacity, equity.",
        discussion: """
            For every unit (circuito, parroquia... given by --units) and service type: the population-
            weighted mean, median and 90th percentile of the travel time to the nearest establishment,
            the share of people within each --within threshold, floating-catchment accessibility (2SFCA
            step, E2SFCA zones, Gaussian, gravity) per 1,000 people, crowding, and, where establishments
            have capacities, an optimal capacity-aware allocation (min-cost flow). Equity (Gini, Palma) of
            the unit mean times nationally and per --group-by.
            Writes into --out: units.csv, units.json, units.geojson, establishments.csv, report.json and
            basins_<type>.geojson (proximity basins). Travel is geodesic straight lines or a road network.
            Examples, on the demo territory:
              territorio access --units shapes/demo/parroquias.shp \\
                  --unit-id DPA_PARROQ --establishments Data/demo/establishments.csv \\
                  --establishment-id id --within 15min,30min --group-by DPA_CANTON \\
                  --out out/help/access
              territorio access --units shapes/demo/parroquias.shp \\
                  --unit-id DPA_PARROQ --establishments Data/demo/establishments.csv \\
                  --population-points Data/demo/population_points.csv --travel roads \\
                  --roads shapes/demo/roads.shp --within 30min \\
                  --out out/help/access-roads
              territorio access --units shapes/demo/parroquias.shp \\
                  --unit-id DPA_PARROQ --establishments Data/demo/establishments.csv \\
                  --within 5km --no-basins --table-dialect es-spreadsheet --csvt \\
                  --out out/help/access-spreadsheet
            """)

    @OptionGroup var tables: TableOptions
    @OptionGroup var inputs: AccessArguments

    @Option(help: "Service types to analyse, comma-separated (default: all).")
    var type: String?

    @Option(help: "Coverage thresholds, comma-separated: 15min,30min or 5km.")
    var within: String

    @Option(help: "Floating-catchment size (default: the largest threshold).")
    var catchment: String?

    @Option(
        help:
            "Distance decays for the floating catchment, comma-separated: step, zones (E2SFCA thirds), zones(5km=1,10km=0.5) (your own zones), gaussian, gravity(β); none for no catchment."
    )
    var decay = "step,zones,gaussian,gravity(1)"

    @Option(help: "Unit field grouping units for equity (e.g. a distrito code).")
    var groupBy: String?

    @Flag(help: "Skip the proximity basins.")
    var noBasins = false

    @Flag(help: "Also write matrix_<type>.csv: every demand point × establishment pair within the catchment (sparse).")
    var writeMatrix = false

    @Flag(
        help: "Write every figure with all its digits (shortest round-trip) instead of rounded, for exact comparisons.")
    var fullPrecision = false

    @Option(help: "Output folder (written all together at the end, or not at all).")
    var out: String

    func run() throws {
        let loaded = try inputs.load(prepareUnitsGeoJSON: true)
        defer { loaded.unitsGeoJSON?.wait() }
        var options = AccessOptions(
            types: type.map { $0.split(separator: ",").map(String.init) },
            thresholds: try AccessLoader.thresholds(within),
            catchment: try catchment.map(Threshold.parse),
            decays: try DistanceDecay.parseList(decay),
            groupField: groupBy)
        options.progress = Console.log(quiet: inputs.input.quiet).progress
        Progress(quiet: inputs.input.quiet).step("computing access (\(loaded.model.name))")
        let result = try AccessAnalysis.run(
            demand: loaded.demand, supply: loaded.supply, units: loaded.units, model: loaded.model, options: options)
        Progress(quiet: inputs.input.quiet).step("writing \(out)")
        let files = try OutputSet.run(into: out, tables: tables.format) { set in
            let files = try AccessOutput.$fullPrecision.withValue(fullPrecision) {
                try AccessOutput.write(
                    result, supply: loaded.supply, units: loaded.units, network: loaded.network, basins: !noBasins,
                    to: set.staging, context: loaded.context, proj: loaded.proj,
                    unitGeometries: try loaded.unitsGeoJSON?.value())
            }
            if writeMatrix { try writeMatrices(result, loaded: loaded, into: set) }
            return files
        }
        Progress(quiet: inputs.input.quiet).step("written")
        report(result, files: files.count)
    }

    /// matrix_<type>.csv: every demand point × establishment pair within the catchment.
    func writeMatrices(_ result: AccessResult, loaded: LoadedAccess, into set: OutputSet) throws {
        for type in result.types {
            let candidates = loaded.supply.of(type: type)
            let planar: PlanarPoints? =
                if case .straight(let line) = loaded.model, line.planarCRS != nil {
                    try PlanarPoints(demand: loaded.demand, supply: loaded.supply, line: line)
                } else { nil }
            let matrix = try AccessAnalysis.matrix(
                demand: loaded.demand, supply: loaded.supply, candidates: candidates, model: loaded.model,
                cutoffMinutes: try result.catchment.minutes(loaded.model), planar: planar)
            var lines = ["demand_point,unit,population,establishment,minutes"]
            for (i, row) in matrix.rows.enumerated() {
                let point = loaded.demand.points[i]
                let unit = point.unit.map { result.unitIDs[$0] } ?? ""
                for (j, minutes) in row {
                    lines.append(
                        "\(i + 1),\(CSVText.field(unit)),\(JSONText.number(point.population)),\(CSVText.field(loaded.supply.establishments[j].id)),\(JSONText.fixed(minutes, decimals: 3))"
                    )
                }
            }
            try set.write(lines.joined(separator: "\n") + "\n", to: "matrix_\(type).csv")
        }
    }

    func report(_ result: AccessResult, files: Int) {
        let p = result.population
        print("travel: \(result.modelDescription)")
        print(
            "population: \(JSONText.fixed(p.input, decimals: 0)) read, \(JSONText.fixed(p.counted, decimals: 0)) in \(result.unitIDs.count) units, \(JSONText.fixed(p.outsidePopulation, decimals: 0)) outside every unit (\(p.outsidePoints) points)"
        )
        if !p.emptyUnits.isEmpty {
            print(
                "units without population: \(p.emptyUnits.prefix(20).joined(separator: ", "))\(p.emptyUnits.count > 20 ? " …" : "")"
            )
        }
        let s = result.supply
        print(
            "establishments: \(s.perType.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")); \(s.rejected.count) rejected, \(s.duplicates.count) duplicate pairs \(s.duplicatesMerged ? "merged" : "kept"), \(s.outsideUnits.count) outside every unit, unmapped types: \(s.unmappedTypes.isEmpty ? "none" : s.unmappedTypes.keys.sorted().joined(separator: ", "))"
        )
        for (t, type) in result.types.enumerated() {
            let total = result.units.reduce(0.0) { $0 + $1[t].population }
            let shares = result.thresholds.enumerated().map { k, th in
                "\(JSONText.fixed(100 * result.units.reduce(0.0) { $0 + $1[t].coveredPopulation[k] } / max(total, 1), decimals: 1)) % within \(th)"
            }
            let national = result.equity.first { $0.type == type && $0.group == nil }
            print(
                "\(type): \(shares.joined(separator: ", ")); Gini \(national?.gini.map { JSONText.fixed($0, decimals: 3) } ?? "–"), Palma \(national?.palma.map { JSONText.fixed($0, decimals: 2) } ?? "–")"
            )
        }
        for w in result.warnings { Console.note("warning: \(w)") }
        Console.note("wrote \(files) files to \(out)")
    }
}

import ArgumentParser
import Planning
import Workflows

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
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio place out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop \\
                  --establishments Data/demo/establishments.csv --out out/help/place
            """)

    @OptionGroup var inputs: ServiceArguments
    @OptionGroup var placement: PlacementArguments

    func run() throws {
        let loaded = try inputs.load()
        let (_, line) = try OutputSet.run(into: inputs.out, tables: inputs.tables.format) { set in
            try PlacementWorkflow.run(loaded, settings: placement.settings, into: set, log: inputs.log)
        }
        inputs.finish(loaded)
        print(line)
    }
}

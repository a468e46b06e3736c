import ArgumentParser
import Planning
import Workflows

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
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio deficit out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop \\
                  --establishments Data/demo/establishments.csv --out out/help/deficit
            """)

    @OptionGroup var inputs: ServiceArguments

    func run() throws {
        let loaded = try inputs.load()
        try OutputSet.run(into: inputs.out, tables: inputs.tables.format) { set in
            try ServiceTables.writeDeficit(loaded, into: set)
            try set.write(ServiceTables.summary(loaded, title: "Deficit"), to: "summary.md")
        }
        inputs.finish(loaded)
    }
}

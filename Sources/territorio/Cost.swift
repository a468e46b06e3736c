import ArgumentParser
import Planning
import Workflows

struct CostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Investment and recurrent cost of closing the deficit per unit, sector and level, with totals.",
        discussion: """
            Investment = missing × (infrastructure + equipment + furniture) + repairs × repair share × the same;
            recurrent = missing × (salaries + utilities + maintenance) per year. cost_{circuito,distrito,zona,
            nation}.csv hold each level's own typologies and those below it, so the levels add up to the same
            national total; cost_components.csv splits the national figures by component.
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio cost out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop \\
                  --establishments Data/demo/establishments.csv --out out/help/cost
            """)

    @OptionGroup var inputs: ServiceArguments

    func run() throws {
        let loaded = try inputs.load()
        let total = try OutputSet.run(into: inputs.out, tables: inputs.tables.format) { set in
            try CostWorkflow.run(loaded, into: set)
        }
        inputs.finish(loaded)
        print("total: investment USD \(money(total.investment)); recurrent USD \(money(total.recurrent)) a year")
    }
}

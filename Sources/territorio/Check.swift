import ArgumentParser
import Foundation
import GIS
import Workflows

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checks for scripts: exit 0 when every assertion holds, 1 when one fails, 2 on bad input.",
        subcommands: [CheckCoverage.self])
}

struct CheckCoverage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Assert that in every unit a minimum share of people is within reach of a service.",
        discussion: """
            One assertion from --type/--within/--min-share, or several from --rules, a CSV with columns
            type,within,min_share. Prints a JSON report on stdout listing every unit that fails with its
            figure, and a one-line summary on stderr. Exit code 0 when all pass, 1 when any fails, 2 for bad
            input or usage.
            Examples, on the demo territory:
              territorio check coverage --units shapes/demo/parroquias.shp \\
                  --unit-id DPA_PARROQ --establishments Data/demo/establishments.csv \\
                  --type health --within 30min --min-share 0.8 --per parroquia
            """)

    @OptionGroup var inputs: AccessArguments

    @Option(help: "Service type.")
    var type: String?

    @Option(help: "Threshold: 30min or 5km.")
    var within: String?

    @Option(help: "Minimum share of each unit's people within the threshold (0–1).")
    var minShare: Double?

    @Option(help: "Name of the unit level in the report (circuito, parroquia...).")
    var per = "unit"

    @Option(help: "CSV of assertions: type,within,min_share.")
    var rules: String?

    struct Rule {
        var type: String
        var within: Threshold
        var minShare: Double
    }

    func readRules() throws -> [Rule] {
        var out: [Rule] = []
        if let rules {
            let table = try CSVTable.read(rules)
            guard let t = table.header.firstIndex(of: "type"), let w = table.header.firstIndex(of: "within"),
                let m = table.header.firstIndex(of: "min_share")
            else {
                throw GISError(
                    .input, operation: "read rules", file: rules,
                    message: "needs columns type,within,min_share; has \(table.header.joined(separator: ","))")
            }
            for (r, row) in table.rows.enumerated() {
                guard row.count > max(t, w, m), let share = Double(row[m]), (0...1).contains(share) else {
                    throw GISError(
                        .input, operation: "read rules", file: rules, record: table.lines[r],
                        message: "min_share must be a number between 0 and 1")
                }
                do {
                    out.append(Rule(type: row[t], within: try Threshold.parse(row[w]), minShare: share))
                } catch let e as GISError {
                    throw GISError(
                        .input, operation: "read rules", file: rules, record: table.lines[r], message: e.message)
                }
            }
        }
        if type != nil || within != nil || minShare != nil {
            guard let type, let within, let minShare else {
                throw ValidationError("give --type, --within and --min-share together")
            }
            guard (0...1).contains(minShare) else { throw ValidationError("--min-share must be between 0 and 1") }
            out.append(Rule(type: type, within: try Threshold.parse(within), minShare: minShare))
        }
        guard !out.isEmpty else { throw ValidationError("no assertion: give --type/--within/--min-share or --rules") }
        return out
    }

    func run() throws {
        let rules = try readRules()
        let loaded = try inputs.load()
        let thresholds = Array(Set(rules.map(\.within))).sorted { $0.description < $1.description }
        let types = Array(Set(rules.map(\.type))).sorted()
        let result = try AccessAnalysis.run(
            demand: loaded.demand, supply: loaded.supply, units: loaded.units, model: loaded.model,
            options: AccessOptions(types: types, thresholds: thresholds, decays: [], capacity: false))
        var failedAssertions = 0
        var failingUnits = 0
        var assertions: [String] = []
        for rule in rules {
            let t = result.types.firstIndex(of: rule.type) ?? 0
            let k = result.thresholds.firstIndex(of: rule.within) ?? 0
            var failures: [String] = []
            var checked = 0
            for (u, id) in result.unitIDs.enumerated() {
                let m = result.units[u][t]
                guard m.population > 0 else { continue }
                checked += 1
                if m.coveredShare[k] < rule.minShare {
                    failures.append(
                        "{\"\(per)\":\(JSONText.quoted(id)),\"share\":\(JSONText.fixed(m.coveredShare[k], decimals: 4)),\"population\":\(JSONText.fixed(m.population, decimals: 0)),\"population_beyond\":\(JSONText.fixed(m.population - m.coveredPopulation[k], decimals: 0))}"
                    )
                }
            }
            if !failures.isEmpty { failedAssertions += 1 }
            failingUnits += failures.count
            assertions.append(
                "{\"type\":\(JSONText.quoted(rule.type)),\"within\":\(JSONText.quoted(rule.within.description)),\"min_share\":\(JSONText.number(rule.minShare)),\"units_checked\":\(checked),\"passed\":\(failures.isEmpty),\"failures\":[\(failures.joined(separator: ","))]}"
            )
        }
        let empty = result.population.emptyUnits
        print(
            "{\"passed\":\(failedAssertions == 0),\"travel\":\(JSONText.quoted(result.model)),\"per\":\(JSONText.quoted(per)),\"units_without_population\":[\(empty.map(JSONText.quoted).joined(separator: ","))],\"assertions\":[\n"
                + assertions.joined(separator: ",\n") + "\n]}")
        let summary =
            failedAssertions == 0
            ? "coverage check passed: \(rules.count) assertion(s) over \(result.unitIDs.count) \(per)s (\(result.model))"
            : "coverage check FAILED: \(failedAssertions) of \(rules.count) assertion(s), \(failingUnits) \(per)s below the minimum (\(result.model))"
        Console.note(summary)
        if failedAssertions > 0 { throw CheckFailed() }
    }
}

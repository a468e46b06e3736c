import ArgumentParser
import Foundation
import GIS
import Planning
import Workflows

struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two plans: matched codes, shared units and people, adjusted Rand index, moves.",
        discussion: """
            Codes of plan A are matched to codes of plan B maximising the people they share (Hungarian
            method). Reports the share of parroquias and of people in the same unit after matching, the
            adjusted Rand index, units merged, split, created and removed, and metric deltas; --moves
            writes one row per parroquia whose unit changes. A plan made over pieces of split parroquias
            (ids PARENT-NNN) is read over whole parroquias: each takes the codes of its pieces, the one
            holding most pieces first.
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio compare out/help/plan/plan.csv out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop
            """)

    @Argument(help: "Plan A (CSV, or polygons with distrito[/circuito] fields).")
    var planA: String

    @Argument(help: "Plan B (CSV, or polygons with distrito[/circuito] fields).")
    var planB: String

    @OptionGroup var inputs: PlanningArguments
    @OptionGroup var travel: TravelArguments

    @Flag(help: "Compare circuitos instead of distritos.")
    var circuitos = false

    @Option(help: "Write per-parroquia moves as CSV.")
    var moves: String?

    func run() throws {
        let loaded = try inputs.load(distances: try travel.planDistances())
        // A plan made over pieces of split parroquias is compared over whole parroquias
        // unless the units are split the same way (--split).
        let known = Set(loaded.territory.units.map(\.id))
        let a = try PlanReader.read(planA, territory: loaded).collapsingPieces(known: known)
        let b = try PlanReader.read(planB, territory: loaded).collapsingPieces(known: known)
        let c = PlanComparison.compare(a, b, territory: loaded.territory, circuitos: circuitos)
        guard c.compared > 0 else {
            throw PlanningError(
                source: "\(planA), \(planB)",
                "the plans share no parroquia planned in both (at the \(circuitos ? "circuito" : "distrito") level): nothing to compare"
            )
        }
        let metric = loaded.metric
        let ra = try PlanValidator.validate(
            a, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: metric)
        let rb = try PlanValidator.validate(
            b, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: metric)
        let sa = ValidationReport.summary(circuitos ? ra.circuitos : ra.distritos),
            sb = ValidationReport.summary(circuitos ? rb.circuitos : rb.distritos)
        let level = circuitos ? "circuitos" : "distritos"
        print("compared \(c.compared) parroquias planned in both")
        print(
            String(
                format:
                    "same %@ after matching codes: %.1f %% of parroquias, %.1f %% of people; adjusted Rand index %.3f",
                level, 100 * c.sameUnitShare, 100 * c.samePopulationShare, c.adjustedRand))
        print(
            "\(level): A \(sa.count), B \(sb.count); merged in B \(c.merged.count), split from A \(c.split.count), created \(c.created.count), removed \(c.removed.count)"
        )
        print(
            String(
                format:
                    "max |deviation| %.1f %% → %.1f %%; mean |deviation| %.1f %% → %.1f %%; RMS distance to seat %.1f → %.1f km; mean distance to seat %.1f → %.1f km",
                100 * sa.maxAbs, 100 * sb.maxAbs, 100 * sa.meanAbs, 100 * sb.meanAbs, sa.meanInertiaKm,
                sb.meanInertiaKm, sa.meanAccessKm, sb.meanAccessKm))
        print("violations: A \(ra.violations.count), B \(rb.violations.count)")
        if let moves {
            var lines = ["dpa_parroq,unit_a,unit_b,matched_b_for_a,population"]
            for m in c.moves { lines.append("\(m.unit),\(m.from),\(m.to),\(c.matching[m.from] ?? ""),\(m.population)") }
            try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: moves)
            print("\(c.moves.count) parroquias change unit → \(moves)")
        }
    }
}

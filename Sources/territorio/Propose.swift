import ArgumentParser
import Foundation
import GIS
import Planning

struct Propose: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Propose a nested distrito/circuito plan from parroquias with population.",
        discussion: """
            Distritos are built inside each province from whole contiguous cantones (a cantón above
            --split-canton-above is divided on its own into distritos of whole parroquias), then circuitos
            inside each distrito from whole parroquias. Each subproblem is a contiguous partition that
            minimises balance² + compactness (population moment of inertia around the seat) + access
            (mean distance to the seat), solved exactly by enumeration when small, else by seeded region
            growing and local search with a lower bound and gap. The same --seed gives the same plan.
            Writes into --out: plan.csv, report.json, report.md, subproblems.csv, distritos.geojson and
            circuitos.geojson. Parroquias larger than a unit stay whole for now and are named in the report.
            With --from PLAN --repair [--lock CODES]: changes only what breaks a hard rule, moving the fewest
            people, writes moves.csv with the rule each move fixes; exit code 1 if violations remain.
            """)

    @OptionGroup var inputs: PlanningInputs

    @Option(help: "Random seed.")
    var seed: UInt64 = 2012

    @Option(help: "Fix the national number of distritos (apportioned by population).")
    var distritos: Int?

    @Option(help: "Fix the national number of circuitos (apportioned by population).")
    var circuitos: Int?

    @Option(help: "Only these provinces (comma-separated 2-digit codes).")
    var province: String?

    @Option(help: "Objective weights balance,compactness,access.")
    var weights = "1,0.05,0.05"

    @Option(help: "Restarts of the heuristic per subproblem.")
    var restarts = 24

    @Option(
        help: "Start from this plan (CSV, or polygons with distrito[/circuito] fields) and repair it (with --repair).")
    var from: String?

    @Flag(help: "With --from: change only what breaks a hard rule, moving the fewest people; list every move.")
    var repair = false

    @Option(help: "With --repair: parroquia or distrito codes that must not move (comma-separated).")
    var lock: String?

    @Option(help: "Output folder.")
    var out: String

    func run() throws {
        var loaded = try inputs.load(circuitosTotal: circuitos)
        // With fixed totals, units are judged against the implied national averages.
        let people = Double(loaded.territory.units.reduce(0) { $0 + $1.population })
        if let distritos, distritos > 0, province == nil {
            loaded.rules.distritoTarget = Int((people / Double(distritos)).rounded())
        }
        if let circuitos, circuitos > 0, province == nil {
            loaded.rules.circuitoTarget = Int((people / Double(circuitos)).rounded())
        }
        if let from {
            guard repair else {
                throw ValidationError("--from needs --repair (re-proposing around locks is not built yet)")
            }
            try runRepair(from, loaded: loaded)
            return
        }
        guard !repair, lock == nil else { throw ValidationError("--repair and --lock need --from PLAN") }
        let w = weights.split(separator: ",").compactMap { Double($0) }
        guard w.count == 3, w.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
            throw ValidationError("--weights needs three non-negative numbers: balance,compactness,access")
        }
        let options = ProposalOptions(
            seed: seed, objective: PartitionObjective(balance: w[0], compactness: w[1], access: w[2]),
            distritos: distritos, circuitos: circuitos,
            provinces: province.map { Set($0.split(separator: ",").map(String.init)) }, restarts: restarts)
        Progress(quiet: inputs.quiet).step("proposing (seed \(seed))")
        let proposal = try Proposer.propose(
            loaded.territory, rules: loaded.rules, options: options, metric: GeodesicMetric())
        try AtomicFile.write(proposal.plan.csv(), to: out + "/plan.csv")
        let report = try PlanValidator.validate(
            proposal.plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules,
            metric: GeodesicMetric())
        try AtomicFile.write(report.json(source: out + "/plan.csv"), to: out + "/report.json")
        var md = report.markdown(source: out + "/plan.csv", rules: loaded.rules)
        let optimal = proposal.subproblems.filter(\.optimal)
        md +=
            "\n## How it was solved\n\n\(optimal.count) of \(proposal.subproblems.count) subproblems solved to optimality by enumeration; the others by region growing + local search (seed \(seed)), with the balance lower bound and gap in subproblems.csv.\n"
        if !loaded.splits.isEmpty {
            md +=
                "\n## Parroquias split into pieces\n\n| parroquia | population | pieces | weighted by | points inside | piece population min–max |\n|---|---:|---:|---|---:|---|\n"
            for s in loaded.splits {
                let sizes = s.pieces.map(\.population)
                md +=
                    "| \(s.parent) | \(s.population) | \(s.pieces.count) | \(s.weighting == "points" ? "population points" : "area (approximation: no point inside)") | \(s.pointsInside) | \(sizes.min() ?? 0)–\(sizes.max() ?? 0) |\n"
            }
        }
        if !proposal.notes.isEmpty {
            md += "\n## Notes\n\n" + proposal.notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        try AtomicFile.write(md, to: out + "/report.md")
        var sub = ["level,scope,units,parts,optimal,cost,lower_bound,gap"]
        for r in proposal.subproblems {
            sub.append(
                "\(r.level),\(CSVText.field(r.scope)),\(r.units),\(r.parts),\(r.optimal),\(JSONText.fixed(r.cost, decimals: 6)),\(JSONText.fixed(r.lowerBound, decimals: 6)),\(JSONText.fixed(r.gap, decimals: 4))"
            )
        }
        try AtomicFile.write(sub.joined(separator: "\n") + "\n", to: out + "/subproblems.csv")
        try writeMaps(proposal.plan, report: report, layer: loaded.layer)
        let d = ValidationReport.summary(report.distritos), c = ValidationReport.summary(report.circuitos)
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
            "\(optimal.count) of \(proposal.subproblems.count) subproblems solved to optimality; largest gap \(JSONText.fixed((proposal.subproblems.map(\.gap).max() ?? 0) * 100, decimals: 1)) %"
        )
        print(
            report.valid
                ? "the plan satisfies every rule" : "the plan breaks \(report.violations.count) rule(s): see report.md")
        for n in proposal.notes.prefix(10) { Console.note("note: \(n)") }
    }

    func runRepair(_ path: String, loaded: PlanningInputs.Loaded) throws {
        let plan = try inputs.readPlan(path, loaded: loaded)
        let locks = Set((lock ?? "").split(separator: ",").map(String.init))
        let distritoCodes = Set(plan.assignments.values.flatMap(\.distritos))
        let unknown = locks.filter { loaded.territory.index[$0] == nil && !distritoCodes.contains($0) }
        guard unknown.isEmpty else {
            throw PlanningError(
                source: path, "locked codes are neither parroquias nor distritos of the plan", units: unknown.sorted())
        }
        let before = try PlanValidator.validate(
            plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: GeodesicMetric())
        let (fixed, moves) = try PlanRepair.repair(
            plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, locks: locks,
            metric: GeodesicMetric())
        let report = try PlanValidator.validate(
            fixed, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: GeodesicMetric())
        try AtomicFile.write(fixed.csv(), to: out + "/plan.csv")
        var lines = ["units,from,to,population,rule"]
        for m in moves {
            lines.append("\(m.units.joined(separator: ";")),\(m.from ?? ""),\(m.to),\(m.population),\(m.rule)")
        }
        try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: out + "/moves.csv")
        try AtomicFile.write(report.json(source: out + "/plan.csv"), to: out + "/report.json")
        try AtomicFile.write(report.markdown(source: out + "/plan.csv", rules: loaded.rules), to: out + "/report.md")
        try writeMaps(fixed, report: report, layer: loaded.layer)
        let people = moves.reduce(0) { $0 + $1.population }
        print(
            "repaired \(path): \(before.violations.count) violation(s) before, \(report.violations.count) after; \(moves.count) move(s), \(people) people moved → \(out)"
        )
        for m in moves {
            print(
                "  \(m.units.joined(separator: "+")): \(m.from ?? "unplanned") → \(m.to) (\(m.population) people) fixes \(m.rule)"
            )
        }
        for v in report.violations.prefix(20) { print("  still broken [\(v.rule)] \(v.unit ?? ""): \(v.message)") }
        if !report.valid { throw CheckFailed() }
    }

    /// Dissolved distrito and circuito polygons with population, deviation and seat.
    func writeMaps(_ plan: Plan, report: ValidationReport, layer: Layer) throws {
        let id = try layer.requireField(inputs.unitId)
        for (level, figures) in [("distrito", report.distritos), ("circuito", report.circuitos)] {
            var tagged = layer
            tagged.fields.append(Field(level, .text))
            for i in tagged.features.indices {
                let a = plan.assignments[layer.features[i].attributes[id].description]
                tagged.features[i].attributes.append(
                    .text((level == "distrito" ? a?.distritos.first : a?.circuitos.first) ?? ""))
            }
            var (dissolved, _) = try Dissolve.run(tagged, options: .init(keyField: level))
            let byCode = Dictionary(uniqueKeysWithValues: figures.map { ($0.code, $0) })
            dissolved.fields += [
                Field("deviation", .decimal), Field("seat", .text), Field("inertia_km", .decimal),
                Field("access_km", .decimal),
            ]
            for i in dissolved.features.indices {
                let f = byCode[dissolved.features[i].attributes[0].description]
                dissolved.features[i].attributes += [
                    f.map { .decimal(($0.deviation * 10_000).rounded() / 10_000) } ?? .null,
                    f.map { .text($0.seat) } ?? .null,
                    f.map { .decimal(($0.inertiaKm * 100).rounded() / 100) } ?? .null,
                    f.map { .decimal(($0.accessKm * 100).rounded() / 100) } ?? .null,
                ]
            }
            try GeoJSONWriter().write(dissolved, to: out + "/\(level)s.geojson")
        }
    }
}

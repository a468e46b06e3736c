import ArgumentParser
import Foundation
import GIS
import Planning
import Workflows

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a distrito/circuito plan against the rules of the planning model.",
        discussion: """
            PLAN is a CSV with a parroquia column (dpa_parroq), distrito, optional circuito, and optional
            distritos_all / circuitos_all (';'-separated) for parroquias split between units.
            Hard rules: every parroquia planned; codes 17D03 / 17D03C01; a distrito in one province and
            one zona; whole cantones (only the cantones of --divisible-cantones — by default Quito,
            Guayaquil, Cuenca, Ambato and Santo Domingo, as the source names them — may be divided, and
            their distritos then hold nothing else); whole parroquias (split only when larger than the target);
            contiguity through neighbours and --links, and on the dissolved polygons; circuitos nested
            in their distrito.
            Soft: population deviation beyond --tolerance (hard with --strict-balance).
            Exit code 0 when the plan satisfies the rules, 1 when it violates them, 2 for bad input.
            Examples, on the demo territory (the plan is the one the propose example
            writes):
              territorio validate out/help/plan/plan.csv \\
                  --units shapes/demo/parroquias.shp --links auto --split \\
                  --split-points Data/demo/population_points.csv --split-weight pop
            """)

    @Argument(help: "The plan (CSV, or polygons with distrito[/circuito] fields).")
    var plan: String

    @OptionGroup var inputs: PlanningArguments
    @OptionGroup var travel: TravelArguments

    @Option(help: "Write the report as JSON.")
    var json: String?

    @Option(help: "Write the report as Markdown.")
    var markdown: String?

    func run() throws {
        let loaded = try inputs.load(distances: try travel.planDistances())
        let plan = try PlanReader.read(self.plan, territory: loaded)
        var report = try PlanValidator.validate(
            plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: loaded.metric)
        inputs.log.step("checking contiguity on the dissolved polygons")
        let layers = try PlanGeometry.check(plan, loaded: loaded, report: &report)
        let quality = try PlanQuality.measure(report, layers: layers, loaded: loaded)
        // Both reports are made before either is written, so a failure leaves neither.
        let jsonText = report.json(source: self.plan)
        let markdownText =
            report.markdown(source: self.plan, rules: loaded.rules)
            + PlanQuality.markdown(quality, peopleAt: PlanQuality.peopleAt(loaded))
        if let json { try AtomicFile.write(jsonText, to: json) }
        if let markdown { try AtomicFile.write(markdownText, to: markdown) }
        let d = ValidationReport.summary(report.distritos), c = ValidationReport.summary(report.circuitos)
        print(
            "plan: \(self.plan) — \(d.count) distritos, \(c.count) circuitos, \(loaded.territory.units.count) parroquias"
        )
        print(
            String(
                format:
                    "distritos: deviation max %.1f %%, mean |dev| %.1f %%; RMS distance to seat %.1f km; mean distance to seat %.1f km",
                100 * d.maxAbs, 100 * d.meanAbs, d.meanInertiaKm, d.meanAccessKm))
        if c.count > 0 {
            print(
                String(
                    format: "circuitos: deviation max %.1f %%, mean |dev| %.1f %%; RMS distance to seat %.1f km",
                    100 * c.maxAbs, 100 * c.meanAbs, c.meanInertiaKm))
        }
        for line in PlanQuality.lines(quality) { print(line) }
        if loaded.linksUsed.isEmpty && !loaded.proposedLinks.isEmpty {
            print(
                "islands found, no links given; proposed links (use --links auto or a links file): "
                    + loaded.proposedLinks.map { "\($0.from)–\($0.to)" }.joined(separator: ", "))
        } else if !loaded.linksUsed.isEmpty {
            print("links: " + loaded.linksUsed.map { "\($0.0)–\($0.1)" }.joined(separator: ", "))
        }
        let byRule = Dictionary(grouping: report.warnings, by: \.rule).mapValues(\.count)
        print(
            "warnings: \(report.warnings.count)"
                + (byRule.isEmpty
                    ? ""
                    : " (" + byRule.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                        + ")"))
        if report.valid {
            print("VALID: the plan satisfies every rule")
        } else {
            print("INVALID: \(report.violations.count) violation(s)")
            for v in report.violations.prefix(40) {
                print(
                    "  [\(v.rule)] \(v.unit ?? "")\(v.unit == nil ? "" : ": ")\(v.message)"
                        + (v.members.isEmpty
                            ? ""
                            : " — " + v.members.prefix(10).joined(separator: ", ") + (v.members.count > 10 ? " …" : ""))
                )
            }
            throw CheckFailed()
        }
    }
}

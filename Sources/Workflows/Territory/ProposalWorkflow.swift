import Foundation
import GIS
import Planning

/// What `propose` asks for beyond the territory. Counts and weights are checked by
/// ``validated(people:)``.
public struct ProposalSettings: Sendable {
    public var seed: UInt64 = 2012
    /// Fixed national totals (apportioned by population).
    public var distritos: Int?
    public var circuitos: Int?
    /// Only these provinces (2-digit codes).
    public var provinces: Set<String>?
    public var weights = PartitionObjective(balance: 1, compactness: 0.05, access: 0.05)
    public var restarts = 24
    /// Shape weights of distritos and circuitos (``ProposalOptions/distritoShape``).
    public var shapeWeights = (distritos: ProposalOptions().distritoShape, circuitos: ProposalOptions().circuitoShape)
    /// Distance bounds of a distrito, km (nil: none): see ``ProposalOptions``.
    public var distritoMeanKm: Double? = 40
    public var distritoMaxKm: Double? = 120
    /// Also write `plan.gpkg` (distritos, circuitos, units, pieces in one GeoPackage).
    public var geoPackage = false
    /// The solver that proves subproblems optimal by set partitioning (``SetPartitioning``);
    /// nil: enumeration and the heuristic only. CBC by default: its node limit ends the search
    /// in the same place on every machine.
    public var partitionSolver: MIPSolver? = .cbc
    /// ``ProposalOptions/proveBipartitions``.
    public var proveBipartitions = false

    public init() {}

    /// The largest heuristic restart count accepted (each restart is a full local search).
    public static let restartRange = 1...10_000

    /// Parses `distritos,circuitos`: the shape weights, each 0–1,000,000.
    public static func shapeWeights(_ text: String) throws -> (distritos: Double, circuitos: Double) {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let w = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, w.count == 2, w.allSatisfy({ $0 >= 0 && $0 <= 1e6 && $0.isFinite }) else {
            throw WorkflowError(
                "--shape-weights needs two numbers from 0 to 1000000: distritos,circuitos (got '\(text)')")
        }
        return (w[0], w[1])
    }

    /// Parses `balance,compactness,access`.
    public static func weights(_ text: String) throws -> PartitionObjective {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let w = parts.compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, w.count == 3, w.allSatisfy({ $0 >= 0 && $0 <= 1e6 && $0.isFinite }),
            w.contains(where: { $0 > 0 })
        else {
            throw WorkflowError(
                "--weights needs three numbers from 0 to 1000000, not all zero: balance,compactness,access (got '\(text)')"
            )
        }
        return PartitionObjective(balance: w[0], compactness: w[1], access: w[2])
    }

    func validated(units: Int) throws -> ProposalSettings {
        if let distritos {
            _ = try Checked.integer(
                distritos, in: 1...max(1, units), "--distritos (at most one per unit: \(units) units)")
        }
        if let circuitos {
            _ = try Checked.integer(
                circuitos, in: 1...max(1, units), "--circuitos (at most one per unit: \(units) units)")
        }
        if let distritos, let circuitos, circuitos < distritos {
            throw WorkflowError(
                "--circuitos (\(circuitos)) must be at least --distritos (\(distritos)): circuitos nest in distritos")
        }
        _ = try Checked.integer(restarts, in: Self.restartRange, "--restarts")
        if let distritoMeanKm { _ = try Checked.number(distritoMeanKm, in: 1...10_000, "--distrito-mean-km") }
        if let distritoMaxKm { _ = try Checked.number(distritoMaxKm, in: 1...10_000, "--distrito-max-km") }
        return self
    }
}

/// The summary figures `propose` prints.
public struct ProposalSummary {
    public var report: ValidationReport
    public var subproblems: [SubproblemRecord]
    public var notes: [String]
    public var seed: UInt64
    public var quality: [LevelQuality]
}

/// Proposes a nested plan and writes plan.csv, report.json/.md, subproblems.csv,
/// distritos.geojson and circuitos.geojson into an ``OutputSet``.
public enum ProposalWorkflow {
    /// Fixed totals make the targets the implied national averages.
    public static func applyTotals(_ loaded: inout LoadedTerritory, settings: ProposalSettings) {
        let people = Double(loaded.territory.units.reduce(0) { $0 + $1.population })
        if let distritos = settings.distritos, distritos > 0, settings.provinces == nil {
            loaded.rules.distritoTarget = max(1, Int((people / Double(distritos)).rounded()))
        }
        if let circuitos = settings.circuitos, circuitos > 0, settings.provinces == nil {
            loaded.rules.circuitoTarget = max(1, Int((people / Double(circuitos)).rounded()))
        }
    }

    /// Loads the territory (splitting by the circuito total when fixed), checks the settings
    /// against it, and applies fixed totals.
    public static func load(_ options: TerritoryOptions, settings: ProposalSettings, log: WorkflowLog) throws -> (
        LoadedTerritory, ProposalSettings
    ) {
        if let c = settings.circuitos { _ = try Checked.integer(c, in: 1...10_000_000, "--circuitos") }
        if let d = settings.distritos { _ = try Checked.integer(d, in: 1...10_000_000, "--distritos") }
        var loaded = try TerritoryLoader.load(options, circuitosTotal: settings.circuitos, log: log)
        let settings = try settings.validated(units: loaded.territory.units.count)
        applyTotals(&loaded, settings: settings)
        return (loaded, settings)
    }

    public static func run(
        _ loaded: LoadedTerritory, settings: ProposalSettings, into out: OutputSet, log: WorkflowLog
    ) throws -> ProposalSummary {
        var options = ProposalOptions(
            seed: settings.seed, objective: settings.weights, distritos: settings.distritos,
            circuitos: settings.circuitos, provinces: settings.provinces, restarts: settings.restarts,
            distritoMeanDistanceKm: settings.distritoMeanKm, distritoMaxDistanceKm: settings.distritoMaxKm,
            distritoShape: settings.shapeWeights.distritos, circuitoShape: settings.shapeWeights.circuitos)
        options.progress = log.progress
        options.runner = DispatchTaskRunner()
        options.exactSolver = settings.partitionSolver?.solver
        options.proveBipartitions = settings.proveBipartitions
        log.step("proposing (seed \(settings.seed))")
        let proposal = try Proposer.propose(
            loaded.territory, rules: loaded.rules, options: options, metric: loaded.metric)
        let planName = out.requested + "/plan.csv"
        try out.write(proposal.plan.csv(), to: "plan.csv")
        var report = try PlanValidator.validate(
            proposal.plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules,
            metric: loaded.metric)
        log.step("dissolving and checking the written polygons")
        let layers = try PlanGeometry.dissolve(proposal.plan, loaded: loaded)
        try PlanLayers.write(layers, report: report, into: out)
        try PlanLayers.writeUnits(loaded, into: out)
        try PlanGeometry.checkWritten(out, plan: proposal.plan, loaded: loaded, report: &report)
        if settings.geoPackage {
            for note in try PlanLayers.writeGeoPackage(
                layers, report: report, plan: proposal.plan, loaded: loaded, into: out)
            {
                log.note(note)
            }
        }
        let quality = try PlanQuality.measure(
            report, layers: layers, loaded: loaded, meanKm: settings.distritoMeanKm, farthestKm: settings.distritoMaxKm)
        try out.write(report.json(source: planName), to: "report.json")
        var md =
            report.markdown(source: planName, rules: loaded.rules)
            + PlanQuality.markdown(quality, peopleAt: PlanQuality.peopleAt(loaded))
        md += solvedMarkdown(proposal.subproblems, seed: settings.seed)
        if !loaded.splits.isEmpty {
            md +=
                "\n## Parroquias split into pieces\n\n| parroquia | population | pieces | weighted by | points inside | piece population min–max | borders between pieces |\n|---|---:|---:|---|---:|---|---|\n"
            for s in loaded.splits {
                let sizes = s.pieces.map(\.population)
                md +=
                    "| \(s.parent) | \(s.population) | \(s.pieces.count) | \(s.weighting == "points" ? "population points" : "area (approximation: no point inside)") | \(s.pointsInside) | \(sizes.min() ?? 0)–\(sizes.max() ?? 0) | \(s.smoothed ? "straightened" : "grid cells") |\n"
            }
        }
        var notes = proposal.notes
        if !loaded.keptWhole.isEmpty {
            md +=
                "\n## Oversized parroquias kept whole\n\nAbove the split threshold, but the table of divisible parroquias (`--divisible-parroquias`) does not let them be divided: each stays whole in one circuito, however far above the target.\n\n| parroquia | population |\n|---|---:|\n"
            for k in loaded.keptWhole { md += "| \(k.code) | \(k.population) |\n" }
            notes.append(
                "\(loaded.keptWhole.count) oversized parroquias kept whole (not divisible by the table of divisible parroquias): "
                    + loaded.keptWhole.prefix(8).map { "\($0.code) (\($0.population))" }.joined(separator: ", ")
                    + (loaded.keptWhole.count > 8 ? ", … (report.md)" : ""))
        }
        if !notes.isEmpty {
            md += "\n## Notes\n\n" + notes.map { "- \($0)" }.joined(separator: "\n") + "\n"
        }
        try out.write(md, to: "report.md")
        var sub = ["level,scope,units,parts,optimal,cost,lower_bound,gap,method"]
        for r in proposal.subproblems {
            sub.append(
                "\(r.level),\(CSVText.field(r.scope)),\(r.units),\(r.parts),\(r.optimal),\(JSONText.fixed(r.cost, decimals: 6)),\(JSONText.fixed(r.lowerBound, decimals: 6)),\(JSONText.fixed(r.gap, decimals: 4)),\(CSVText.field(r.method))"
            )
        }
        try out.write(sub.joined(separator: "\n") + "\n", to: "subproblems.csv")
        return ProposalSummary(
            report: report, subproblems: proposal.subproblems, notes: notes, seed: settings.seed,
            quality: quality)
    }
}

extension ProposalWorkflow {
    /// report.md's "How it was solved": how many subproblems each method solved or bounded.
    static func solvedMarkdown(_ records: [SubproblemRecord], seed: UInt64) -> String {
        let optimal = records.filter(\.optimal)
        // "set partitioning (CBC, 812 columns)" counts as "set partitioning (CBC)", "… (CBC, 38 of
        // 335015 columns after 6 rounds of column generation)" as "… (CBC, after column
        // generation)", "column generation (7 LP rounds, 76017 columns)" as "column generation".
        func kind(_ method: String) -> String {
            method.replacingOccurrences(
                of: #", \d+ of \d+ columns after \d+ rounds of"#, with: ", after",
                options: .regularExpression
            )
            .replacingOccurrences(of: #" \(\d+ LP rounds, \d+ columns\)"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #", \d+ columns"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: #", \d+ nodes"#, with: "", options: .regularExpression)
        }
        var counts: [String: Int] = [:]
        for r in records { counts[kind(r.method), default: 0] += 1 }
        var md =
            "\n## How it was solved\n\n\(optimal.count) of \(records.count) subproblems solved to optimality (seed \(seed)); each one's method, cost, lower bound and gap are in subproblems.csv.\n\n| method | subproblems |\n|---|---:|\n"
        for (method, n) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
            md += "| \(method) | \(n) |\n"
        }
        return md
    }
}

/// What a repair did.
public struct RepairSummary {
    public var before: ValidationReport
    public var after: ValidationReport
    public var moves: [RepairMove]
}

/// `propose --from PLAN --repair`: changes only what breaks a hard rule, moving the fewest
/// people; writes plan.csv, moves.csv, report.json/.md and the dissolved layers.
public enum RepairWorkflow {
    public static func run(
        _ path: String, locks lockList: [String], loaded: LoadedTerritory, into out: OutputSet
    ) throws -> RepairSummary {
        let plan = try PlanReader.read(path, territory: loaded)
        let locks = Set(lockList)
        let distritoCodes = Set(plan.assignments.values.flatMap(\.distritos))
        let unknown = locks.filter { loaded.territory.index[$0] == nil && !distritoCodes.contains($0) }
        guard unknown.isEmpty else {
            throw PlanningError(
                source: path, "locked codes are neither parroquias nor distritos of the plan", units: unknown.sorted())
        }
        var before = try PlanValidator.validate(
            plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: loaded.metric)
        try PlanGeometry.check(plan, loaded: loaded, report: &before)
        let (fixed, moves) = try PlanRepair.repair(
            plan, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, locks: locks,
            metric: loaded.metric)
        var report = try PlanValidator.validate(
            fixed, territory: loaded.territory, zones: loaded.zones, rules: loaded.rules, metric: loaded.metric)
        try PlanLayers.write(try PlanGeometry.dissolve(fixed, loaded: loaded), report: report, into: out)
        try PlanLayers.writeUnits(loaded, into: out)
        try PlanGeometry.checkWritten(out, plan: fixed, loaded: loaded, report: &report)
        let planName = out.requested + "/plan.csv"
        try out.write(fixed.csv(), to: "plan.csv")
        var lines = ["units,from,to,population,rule"]
        for m in moves {
            lines.append("\(m.units.joined(separator: ";")),\(m.from ?? ""),\(m.to),\(m.population),\(m.rule)")
        }
        try out.write(lines.joined(separator: "\n") + "\n", to: "moves.csv")
        try out.write(report.json(source: planName), to: "report.json")
        try out.write(report.markdown(source: planName, rules: loaded.rules), to: "report.md")
        return RepairSummary(before: before, after: report, moves: moves)
    }
}

/// Dissolved distrito and circuito polygons with population, deviation and seat.
public enum PlanLayers {
    /// Writes the layers ``PlanGeometry/check(_:loaded:report:)`` dissolved and checked, so
    /// the polygons written are the polygons checked.
    public static func write(_ layers: [PlanGeometry.Level: Layer], report: ValidationReport, into out: OutputSet)
        throws
    {
        for (level, dissolved) in annotated(layers, report: report) {
            try GeoJSONWriter().write(dissolved, to: out.path("\(level.rawValue)s.geojson"))
        }
    }

    /// The dissolved distritos and circuitos with their figures (deviation, seat, inertia,
    /// access and farthest km), as every format writes them.
    public static func annotated(_ layers: [PlanGeometry.Level: Layer], report: ValidationReport) -> [(
        PlanGeometry.Level, Layer
    )] {
        var out: [(PlanGeometry.Level, Layer)] = []
        for (level, figures) in [(PlanGeometry.Level.distrito, report.distritos), (.circuito, report.circuitos)] {
            guard var dissolved = layers[level] else { continue }
            var byCode: [String: UnitFigures] = [:]
            for f in figures where byCode[f.code] == nil { byCode[f.code] = f }
            dissolved.fields += [
                Field("deviation", .decimal), Field("seat", .text), Field("inertia_km", .decimal),
                Field("access_km", .decimal), Field("farthest_km", .decimal),
            ]
            for i in dissolved.features.indices {
                let f = byCode[dissolved.features[i].attributes[0].description]
                dissolved.features[i].attributes += [
                    f.map { .decimal(($0.deviation * 10_000).rounded() / 10_000) } ?? .null,
                    f.map { .text($0.seat) } ?? .null,
                    f.map { .decimal(($0.inertiaKm * 100).rounded() / 100) } ?? .null,
                    f.map { .decimal(($0.accessKm * 100).rounded() / 100) } ?? .null,
                    f.map { .decimal(($0.farthestKm * 100).rounded() / 100) } ?? .null,
                ]
            }
            out.append((level, dissolved))
        }
        return out
    }

    /// `plan.gpkg`: the plan as one GeoPackage with the layers `distritos` and `circuitos` (as
    /// in the GeoJSON files), `units` (every unit of the plan with its distrito and circuito
    /// codes, `;`-joined where a unit is shared) and, when parroquias were divided, `pieces`
    /// (the pieces alone, with their `PARENT`). In the units' CRS. Returns the writer's notes.
    public static func writeGeoPackage(
        _ layers: [PlanGeometry.Level: Layer], report: ValidationReport, plan: Plan, loaded: LoadedTerritory,
        into out: OutputSet
    ) throws -> [String] {
        var all: [(name: String, layer: Layer)] = annotated(layers, report: report).map { ("\($0.0.rawValue)s", $0.1) }
        var units = loaded.layer
        let id = try units.requireField(loaded.options.unitId)
        units.fields += [Field("distrito", .text), Field("circuito", .text)]
        for i in units.features.indices {
            let a = plan.assignments[units.features[i].attributes[id].description]
            units.features[i].attributes += [
                a.map { .text($0.distritos.joined(separator: ";")) } ?? .null,
                a.map { .text($0.circuitos.joined(separator: ";")) } ?? .null,
            ]
        }
        all.append(("units", units))
        if !loaded.splits.isEmpty, let parent = units.fieldIndex("PARENT") {
            var pieces = units
            // A whole parroquia is its own PARENT; a piece names the parroquia it was cut from.
            pieces.features = units.features.filter {
                let p = $0.attributes[parent].description
                return !p.isEmpty && p != $0.attributes[id].description
            }
            all.append(("pieces", pieces))
        }
        // Single polygons become multipolygons by design (one type per layer): only renamed
        // fields are worth a note.
        var report = try GeoPackageWriter.write(all, to: out.path("plan.gpkg"), context: ProjContext())
        report.promotedToMulti = [:]
        return LayerWriter.notes(report)
    }

    /// When parroquias were divided, the units the plan is made of (whole parroquias and
    /// pieces, with `PARENT`, the population and the DPA fields) as `units.geojson` and
    /// `units.shp`, so the plan joins to geometry in any GIS and `validate --units units.shp`
    /// reads it back without `--split`.
    public static func writeUnits(_ loaded: LoadedTerritory, into out: OutputSet) throws {
        guard !loaded.splits.isEmpty else { return }
        let writer = try LayerWriter()
        for name in ["units.geojson", "units.shp"] { try writer.write(loaded.layer, to: out.path(name)) }
    }
}

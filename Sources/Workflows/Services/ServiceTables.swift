import GIS
import Planning

/// The deficit tables, the Markdown summary and the notes every service command shares.
public enum ServiceTables {
    /// deficit_units.csv (one row per unit and typology), then sums per circuito, distrito,
    /// zona and nation by sector.
    /// With circuitos derived for a plan without them, also plan_with_circuitos.csv.
    public static func writeDeficit(_ loaded: LoadedServices, into out: OutputSet) throws {
        let d = loaded.deficit
        if let derived = loaded.derivedPlan { try out.write(derived.csv(), to: "plan_with_circuitos.csv") }
        var lines = [
            "level,code,distrito,zona,sector,typology,population,target_population,required,current,poor,missing,repairs,unserved,staff_missing,investment,recurrent,required_gross,missing_gross,private,private_served"
        ]
        for r in d.rows {
            lines.append(
                [
                    r.level.rawValue, r.code, r.distrito, r.zona, r.sector, CSVText.field(r.typology),
                    fmt(r.population), fmt(r.targetPopulation), fmt(r.required), fmt(r.current, 2), fmt(r.poor, 2),
                    fmt(r.missing), fmt(r.repairs, 2), fmt(r.unserved), fmt(r.staffMissing), fmt(r.investment),
                    fmt(r.recurrent), fmt(r.requiredGross), fmt(r.missingGross), fmt(r.privateEstablishments, 2),
                    fmt(r.privateServed),
                ].joined(separator: ","))
        }
        try out.write(lines.joined(separator: "\n") + "\n", to: "deficit_units.csv")
        for level in ["circuito", "distrito", "zona", "nation"] {
            var t = [
                "level,code,sector,typology,required,current,missing,repairs,unserved,staff_missing,investment,recurrent,required_gross,missing_gross,private,private_served"
            ]
            for r in d.totals(level) {
                t.append(
                    [
                        level, r.code, r.sector, CSVText.field(r.typology), fmt(r.required), fmt(r.current, 2),
                        fmt(r.missing), fmt(r.repairs, 2),
                        fmt(r.unserved), fmt(r.staffMissing), fmt(r.investment), fmt(r.recurrent),
                        fmt(r.requiredGross), fmt(r.missingGross), fmt(r.privateEstablishments, 2),
                        fmt(r.privateServed),
                    ].joined(separator: ","))
            }
            try out.write(t.joined(separator: "\n") + "\n", to: "deficit_\(level).csv")
        }
    }

    /// Markdown: the national table by sector, what was illustrative, what was left out.
    public static func summary(_ loaded: LoadedServices, title: String) -> String {
        let o = loaded.options
        var md =
            "# \(title)\n\nPlan `\(o.plan)`, catalogue `\(DataFiles.display(o.catalogue))`, establishments `\(o.establishments)`"
        md +=
            " (\(loaded.establishments.count) matched and located).\n\nTravel times (reach of the current offer, placement): \(loaded.travel.description)"
        if let network = loaded.network, !network.componentSizes.isEmpty {
            md +=
                "; \(network.componentSizes.count) connected road component(s), the largest with \(network.componentSizes[0]) nodes"
        }
        md += ".\n\n## National deficit by typology\n\n"
        md +=
            "| sector | typology | required | current | missing | to repair | people unserved | staff missing | investment (USD) | recurrent (USD/year) |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        let nation = loaded.deficit.totals("nation")
        for t in nation {
            md +=
                "| \(t.sector) | \(t.typology) | \(fmt(t.required)) | \(fmt(t.current, 1)) | \(fmt(t.missing)) | \(fmt(t.repairs, 1)) | \(fmt(t.unserved)) | \(fmt(t.staffMissing)) | \(money(t.investment)) | \(money(t.recurrent)) |\n"
        }
        if loaded.options.registryRules != nil {
            md +=
                "\n## Offer matched by the registry rules\n\nRows of `\(o.establishments)` given typologies and a provider by `\(DataFiles.display(o.registryRules ?? ""))` (a proxy from names and funding; see its notes). Located establishments; one the rules give several typologies (a unidad educativa) counts in each.\n\n| typology | public | private |\n|---|---:|---:|\n"
            for row in offerByProvider(loaded) { md += "| \(row.typology) | \(row.public) | \(row.private) |\n" }
        }
        let netted = nation.filter { $0.privateEstablishments > 0 || $0.requiredGross != $0.required }
        if !netted.isEmpty {
            md +=
                "\n## Gross and net deficit\n\nThe private offer serves part of each target group (`private_share` × capacity per private establishment, in the catalogue or `--private-share`); the net figures are what the Executive must provide, and they drive placement and costs.\n\n| typology | private establishments | people they serve | required gross | required net | missing gross | missing net |\n|---|---:|---:|---:|---:|---:|---:|\n"
            for t in netted {
                md +=
                    "| \(t.typology) | \(fmt(t.privateEstablishments, 1)) | \(fmt(t.privateServed)) | \(fmt(t.requiredGross)) | \(fmt(t.required)) | \(fmt(t.missingGross)) | \(fmt(t.missing)) |\n"
            }
        }
        let illustrative = loaded.catalogue.standards.filter(\.isIllustrative)
        if !illustrative.isEmpty {
            md +=
                "\n**Illustrative numbers.** These catalogue rows are not official norms or budgets (see their assumption in the catalogue): "
                + illustrative.map {
                    "\($0.typology) (norm: \($0.source == "illustrative" ? "illustrative" : "named norm"), costs: \($0.costSource))"
                }
                .joined(separator: "; ") + ".\n"
        }
        if !loaded.planViolations.isEmpty {
            md +=
                "\n**The plan breaks \(loaded.planViolations.count) hard rule(s)** (run on it with --accept-invalid-plan): "
                + loaded.planViolations.prefix(20).map { "[\($0.rule)] \($0.unit ?? "")" }.joined(separator: ", ")
                + ".\n"
        }
        if !loaded.unknownTypes.isEmpty {
            md +=
                "\n**Registry rows counted as no offer** (\(loaded.options.registryRules == nil ? "types the catalogue does not know" : "excluded or matched by no rule of `\(DataFiles.display(loaded.options.registryRules ?? ""))`")): "
                + loaded.unknownTypes.map { "\($0.0) (\($0.1))" }.joined(separator: ", ") + ".\n"
        }
        if !loaded.outside.isEmpty {
            md +=
                "\n**Establishments outside every unit** (\(loaded.outside.count)): "
                + loaded.outside.prefix(30).joined(separator: ", ") + (loaded.outside.count > 30 ? ", …" : "") + ".\n"
        }
        for n in loaded.deficit.notes { md += "\n- \(n)" }
        return md + "\n"
    }

    /// Notes for what was not counted.
    public static func notes(_ loaded: LoadedServices) -> [String] {
        var notes: [String] = []
        if !loaded.planViolations.isEmpty {
            notes.append("note: the plan breaks \(loaded.planViolations.count) hard rule(s); going on as asked")
        }
        if loaded.options.registryRules != nil {
            notes.append(
                "note: registry rules matched: "
                    + offerByProvider(loaded).map { "\($0.typology) \($0.public) public + \($0.private) private" }
                    .joined(separator: "; "))
        }
        if !loaded.unknownTypes.isEmpty {
            notes.append(
                (loaded.options.registryRules == nil
                    ? "note: registry types the catalogue does not know (not counted): "
                    : "note: registry rows counted as no offer: ")
                    + loaded.unknownTypes.map { "\($0.0) ×\($0.1)" }.joined(separator: ", "))
        }
        if !loaded.outside.isEmpty {
            notes.append(
                "note: \(loaded.outside.count) establishment(s) outside every unit: "
                    + loaded.outside.prefix(10).joined(separator: ", "))
        }
        for n in loaded.deficit.notes { notes.append("note: \(n)") }
        return notes
    }

    /// One line per sector of the national table; the gross figures when the private offer
    /// changed them.
    public static func nationalLines(_ d: DeficitAnalysis) -> [String] {
        d.totals("nation").map { t in
            let gross =
                t.privateEstablishments > 0 || t.requiredGross != t.required
                ? " (gross \(fmt(t.missingGross)) of \(fmt(t.requiredGross)); \(fmt(t.privateEstablishments, 1)) private establishments serve \(fmt(t.privateServed)))"
                : ""
            return
                "\(t.sector), \(t.typology): \(fmt(t.missing)) missing of \(fmt(t.required)) required\(gross) (\(fmt(t.current, 1)) usable, \(fmt(t.repairs, 1)) to repair), \(fmt(t.unserved)) people unserved; investment USD \(money(t.investment)), recurrent USD \(money(t.recurrent))/year"
        }
    }

    /// Located establishments per typology and provider (an establishment the rules give
    /// several typologies counts in each), in catalogue order.
    public static func offerByProvider(_ loaded: LoadedServices) -> [(typology: String, public: Int, private: Int)] {
        loaded.catalogue.standards.map { s in
            let of = loaded.establishments.filter { $0.typology == s.typology }
            return (s.typology, of.filter { $0.provider == .public }.count, of.filter { $0.provider == .private }.count)
        }
    }
}

/// `cost`: investment and recurrent cost per level, and the national split by component.
public enum CostWorkflow {
    /// Writes the deficit tables, cost_{level}.csv, cost_components.csv and summary.md;
    /// returns the national investment and yearly recurrent cost.
    public static func run(_ loaded: LoadedServices, into out: OutputSet) throws -> (
        investment: Double, recurrent: Double
    ) {
        try ServiceTables.writeDeficit(loaded, into: out)
        for level in ["circuito", "distrito", "zona", "nation"] {
            var lines = ["level,code,sector,typology,missing,repairs,investment,recurrent_per_year"]
            for t in loaded.deficit.totals(level) {
                lines.append(
                    "\(level),\(t.code),\(t.sector),\(CSVText.field(t.typology)),\(fmt(t.missing)),\(fmt(t.repairs, 2)),\(fmt(t.investment)),\(fmt(t.recurrent))"
                )
            }
            try out.write(lines.joined(separator: "\n") + "\n", to: "cost_\(level).csv")
        }
        // Components, national. Typology names are unique (the catalogue reader checks it).
        var standards: [String: ServiceStandard] = [:]
        for s in loaded.catalogue.standards where standards[s.typology] == nil { standards[s.typology] = s }
        var components: [String: [Double]] = [:]
        for r in loaded.deficit.rows {
            guard let s = standards[r.typology] else { continue }
            let builds = r.missing + r.repairs * s.repairShare
            let add = [
                builds * s.investment.infrastructure, builds * s.investment.equipment, builds * s.investment.furniture,
                r.missing * s.recurrent.salaries, r.missing * s.recurrent.utilities,
                r.missing * s.recurrent.maintenance,
            ]
            components[r.sector] = zip(components[r.sector] ?? [0, 0, 0, 0, 0, 0], add).map { $0 + $1 }
        }
        var lines = ["sector,infrastructure,equipment,furniture,salaries,utilities,maintenance"]
        for (sector, c) in components.sorted(by: { $0.key < $1.key }) {
            lines.append(([sector] + c.map { fmt($0) }).joined(separator: ","))
        }
        try out.write(lines.joined(separator: "\n") + "\n", to: "cost_components.csv")
        let totals = loaded.deficit.totals("nation")
        let investment = totals.reduce(0) { $0 + $1.investment }, recurrent = totals.reduce(0) { $0 + $1.recurrent }
        try out.write(
            ServiceTables.summary(loaded, title: "Cost of the deficit")
                + "\nTotal: investment USD \(money(investment)), recurrent USD \(money(recurrent)) a year.\n",
            to: "summary.md")
        return (investment, recurrent)
    }
}

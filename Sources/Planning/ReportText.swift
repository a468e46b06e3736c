import TextFormat

/// Planning reports' text helpers, on the shared TextFormat module (no Foundation formatting,
/// so reports are byte-identical across platforms).
enum ReportText {
    static func quoted(_ s: String) -> String { JSONText.quoted(s) }

    /// `value` with `decimals` places, trailing zeros trimmed.
    static func number(_ value: Double, _ decimals: Int = 3) -> String { JSONText.fixed(value, decimals: decimals) }

    static func list(_ xs: [String]) -> String { "[" + xs.map(quoted).joined(separator: ",") + "]" }
}

extension ValidationReport {
    func figuresJSON(_ f: UnitFigures) -> String {
        "{\"code\":\(ReportText.quoted(f.code)),\"population\":\(ReportText.number(f.population, 1)),\"deviation\":\(ReportText.number(f.deviation, 4)),\"parroquias\":\(f.members.count),\"seat\":\(ReportText.quoted(f.seat)),\"inertia_km\":\(ReportText.number(f.inertiaKm, 2)),\"access_km\":\(ReportText.number(f.accessKm, 2)),\"farthest_km\":\(ReportText.number(f.farthestKm, 2)),\"canton_extent_km\":\(ReportText.number(f.cantonExtentKm, 2)),\"estimated\":\(f.estimated),\"reason\":\(f.reason.map(ReportText.quoted) ?? "null")}"
    }

    func violationJSON(_ v: Violation) -> String {
        "{\"rule\":\(ReportText.quoted(v.rule)),\"unit\":\(v.unit.map(ReportText.quoted) ?? "null"),\"members\":\(ReportText.list(v.members)),\"message\":\(ReportText.quoted(v.message))}"
    }

    /// The report as JSON.
    public func json(source: String) -> String {
        let d = Self.summary(distritos), c = Self.summary(circuitos)
        func stats(_ s: (count: Int, maxAbs: Double, meanAbs: Double, meanInertiaKm: Double, meanAccessKm: Double))
            -> String
        {
            "{\"count\":\(s.count),\"max_abs_deviation\":\(ReportText.number(s.maxAbs, 4)),\"mean_abs_deviation\":\(ReportText.number(s.meanAbs, 4)),\"mean_inertia_km\":\(ReportText.number(s.meanInertiaKm, 2)),\"mean_access_km\":\(ReportText.number(s.meanAccessKm, 2))}"
        }
        return
            "{\"plan\":\(ReportText.quoted(source)),\"valid\":\(valid),\n\"distritos_summary\":\(stats(d)),\n\"circuitos_summary\":\(stats(c)),\n\"zonas\":{"
            + zonas.sorted { $0.key < $1.key }.map {
                "\(ReportText.quoted($0.key)):\(ReportText.list($0.value.sorted()))"
            }.joined(separator: ",")
            + "},\n\"links\":[" + links.map { ReportText.list($0) }.joined(separator: ",")
            + "],\n\"violations\":[\n" + violations.map(violationJSON).joined(separator: ",\n") + "],\n\"warnings\":[\n"
            + warnings.map(violationJSON).joined(separator: ",\n") + "],\n\"distritos\":[\n"
            + distritos.map(figuresJSON).joined(separator: ",\n")
            + "],\n\"circuitos\":[\n" + circuitos.map(figuresJSON).joined(separator: ",\n") + "]}\n"
    }

    /// The report as Markdown for a planner.
    public func markdown(source: String, rules: PlanningRules) -> String {
        var lines = ["# Plan validation: \(source)", ""]
        lines.append(valid ? "**The plan satisfies every rule.**" : "**The plan breaks \(violations.count) rule(s).**")
        lines.append("")
        for (name, figures, target) in [
            ("Distritos", distritos, rules.distritoTarget), ("Circuitos", circuitos, rules.circuitoTarget),
        ] where !figures.isEmpty {
            let s = Self.summary(figures)
            lines.append("## \(name) (target \(target))")
            lines.append("")
            lines.append(
                "| count | max abs deviation | mean abs deviation | mean RMS distance to seat (km) | mean distance to seat (km) |"
            )
            lines.append("|---|---|---|---|---|")
            lines.append(
                "| \(s.count) | \(ReportText.number(100 * s.maxAbs, 1)) % | \(ReportText.number(100 * s.meanAbs, 1)) % | \(ReportText.number(s.meanInertiaKm, 1)) | \(ReportText.number(s.meanAccessKm, 1)) |"
            )
            lines.append("")
        }
        if !violations.isEmpty {
            lines.append("## Violations")
            lines.append("")
            for v in violations {
                lines.append(
                    "- **\(v.rule)** \(v.unit ?? ""): \(v.message)\(v.members.isEmpty ? "" : " — " + v.members.prefix(12).joined(separator: ", "))"
                )
            }
            lines.append("")
        }
        if !warnings.isEmpty {
            lines.append("## Warnings")
            lines.append("")
            for v in warnings { lines.append("- \(v.rule) \(v.unit ?? ""): \(v.message)") }
            lines.append("")
        }
        lines.append("## Distritos")
        lines.append("")
        lines.append(
            "| code | population | deviation | parroquias | seat | RMS to seat (km) | mean to seat (km) | farthest from seat (km) |"
        )
        lines.append("|---|---|---|---|---|---|---|---|")
        for f in distritos {
            lines.append(
                "| \(f.code) | \(ReportText.number(f.population, 0))\(f.estimated ? " (est.)" : "") | \(ReportText.number(100 * f.deviation, 1)) % | \(f.members.count) | \(f.seat) | \(ReportText.number(f.inertiaKm, 1)) | \(ReportText.number(f.accessKm, 1)) | \(ReportText.number(f.farthestKm, 1)) |"
            )
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

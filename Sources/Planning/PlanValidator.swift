import Foundation

/// A broken rule, naming the units at fault.
public struct Violation: Sendable, Hashable {
    public var rule: String
    public var unit: String?
    public var members: [String]
    public var message: String

    public init(rule: String, unit: String?, members: [String], message: String) {
        self.rule = rule
        self.unit = unit
        self.members = members
        self.message = message
    }
}

/// Figures for one distrito or circuito.
public struct UnitFigures: Sendable {
    public var code: String
    public var population: Double
    /// (population − target) / target.
    public var deviation: Double
    public var members: [String]
    /// Most populous member (the seat unless seats are given).
    public var seat: String
    /// Population-weighted root-mean-square distance to the seat, km: the population moment of
    /// inertia around the seat (smaller = more compact).
    public var inertiaKm: Double
    /// Population-weighted mean distance from members to the seat, km (access).
    public var accessKm: Double
    /// The farthest member with people from the seat, km (extent).
    public var farthestKm: Double = 0
    /// How many cantones the members belong to.
    public var cantons: Int = 1
    /// The farthest any of the members' cantones reaches on its own, km
    /// (``Territory/cantonExtents(metric:)``): a farthest distance within it is the cantón's,
    /// not the grouping's.
    public var cantonExtentKm: Double = 0
    /// Population includes an equal share of a parish split between units (an estimate).
    public var estimated: Bool
    /// Why a deviation beyond the tolerance is unavoidable, when it is.
    public var reason: String?
}

/// The outcome of checking a plan against the rules.
public struct ValidationReport: Sendable {
    public var violations: [Violation] = []
    /// Soft findings: deviations beyond the tolerance, split parishes allowed by size,
    /// undelimited zones, units the plan leaves out for lack of population...
    public var warnings: [Violation] = []
    public var distritos: [UnitFigures] = []
    public var circuitos: [UnitFigures] = []
    public var zonas: [String: [String]] = [:]
    /// The declared links the contiguity rules used (unit ids), as the territory holds them.
    public var links: [[String]] = []
    public var valid: Bool { violations.isEmpty }

    public static func summary(_ figures: [UnitFigures]) -> (
        count: Int, maxAbs: Double, meanAbs: Double, meanInertiaKm: Double, meanAccessKm: Double
    ) {
        guard !figures.isEmpty else { return (0, 0, 0, 0, 0) }
        let abs = figures.map { Swift.abs($0.deviation) }
        return (
            figures.count, abs.max() ?? 0, abs.reduce(0, +) / Double(abs.count),
            figures.reduce(0) { $0 + $1.inertiaKm } / Double(figures.count),
            figures.reduce(0) { $0 + $1.accessKm } / Double(figures.count)
        )
    }
}

/// Checks a plan against every rule of the planning model:
/// coverage (every unit planned once), codes (`17D03`, `17D03C01`), distritos inside one province
/// (units of the undelimited zones excepted), whole cantones (a cantón splits only above
/// `splitCantonAbove`, and then its distritos hold nothing else), whole parroquias (split only
/// above the parish thresholds), contiguity (through neighbours and links), nesting (circuito in
/// one distrito, distrito in one zona) and balance (soft, unless `strictBalance`).
public enum PlanValidator {
    public static func validate(
        _ plan: Plan, territory: Territory, zones: ZoneTable, rules: PlanningRules, metric: some DistanceMetric
    ) throws -> ValidationReport {
        var report = ValidationReport()
        report.links = territory.links.map { [territory.units[$0.0].id, territory.units[$0.1].id] }
        let units = territory.units
        func hard(_ rule: String, _ unit: String?, _ members: [String], _ message: String) {
            report.violations.append(Violation(rule: rule, unit: unit, members: members, message: message))
        }
        func soft(_ rule: String, _ unit: String?, _ members: [String], _ message: String) {
            report.warnings.append(Violation(rule: rule, unit: unit, members: members, message: message))
        }
        // Coverage.
        let unknown = plan.assignments.keys.filter { territory.index[$0] == nil }.sorted()
        guard unknown.isEmpty else {
            throw PlanningError(
                source: plan.source, "the plan names units that are not in the territory", units: unknown)
        }
        let missing = units.filter { plan.assignments[$0.id] == nil }
        let missingPeople = missing.filter { $0.population > 0 }
        if !missingPeople.isEmpty {
            hard(
                "coverage", nil, missingPeople.map(\.id),
                "\(missingPeople.count) units with people belong to no distrito")
        }
        let missingEmpty = missing.filter { $0.population == 0 }
        if !missingEmpty.isEmpty {
            soft(
                "coverage", nil, missingEmpty.map(\.id),
                "\(missingEmpty.count) units without population are not planned")
        }
        // Members per distrito and circuito (a split unit belongs to each of its units).
        var distritoMembers: [String: [Int]] = [:]
        var circuitoMembers: [String: [Int]] = [:]
        for (id, a) in plan.assignments {
            guard let i = territory.index[id] else { continue }
            for d in Set(a.distritos) { distritoMembers[d, default: []].append(i) }
            for c in Set(a.circuitos) { circuitoMembers[c, default: []].append(i) }
        }
        // Codes.
        for d in distritoMembers.keys.sorted() where !PlanningRules.isDistritoCode(d) {
            hard("code", d, [], "distrito code '\(d)' does not follow the pattern 17D03 (province, D, two digits)")
        }
        for c in circuitoMembers.keys.sorted() where !PlanningRules.isCircuitoCode(c) {
            hard("code", c, [], "circuito code '\(c)' does not follow the pattern 17D03C01 (distrito, C, two digits)")
        }
        // Split units.
        for (id, a) in plan.assignments.sorted(by: { $0.key < $1.key }) {
            guard let i = territory.index[id] else { continue }
            if a.distritos.count > 1 {
                if units[i].population > rules.splitParishDistritoAbove {
                    soft(
                        "whole-parroquia", id, a.distritos,
                        "split between \(a.distritos.count) distritos (\(units[i].population) people, above \(rules.splitParishDistritoAbove)); its people are shared equally in the figures"
                    )
                } else {
                    hard(
                        "whole-parroquia", id, a.distritos,
                        "split between distritos but has only \(units[i].population) people (≤ \(rules.splitParishDistritoAbove))"
                    )
                }
            }
            if a.circuitos.count > 1 && units[i].population <= rules.splitParishCircuitoAbove {
                hard(
                    "whole-parroquia", id, a.circuitos,
                    "split between circuitos but has only \(units[i].population) people (≤ \(rules.splitParishCircuitoAbove))"
                )
            }
            for c in a.circuitos where PlanningRules.isCircuitoCode(c) {
                let prefix = String(c.prefix(5))
                if !a.distritos.contains(prefix) {
                    hard(
                        "nesting", c, [id],
                        "circuito \(c) holds \(id), which the plan puts in distrito \(a.distritos.joined(separator: "/")), not \(prefix)"
                    )
                }
            }
        }
        // Distritos: province, cantones, zona, contiguity.
        var cantonDistritos: [String: Set<String>] = [:]
        for (d, members) in distritoMembers {
            for i in members { cantonDistritos[units[i].canton, default: []].insert(d) }
        }
        var cantonPopulation: [String: Int] = [:]
        for u in units { cantonPopulation[u.canton, default: 0] += u.population }
        for (canton, ds) in cantonDistritos.sorted(by: { $0.key < $1.key }) where ds.count > 1 {
            let people = cantonPopulation[canton] ?? 0
            if rules.mayDivide(canton: canton, population: people) {
                soft(
                    "whole-canton", canton, ds.sorted(),
                    "split into \(ds.count) distritos (\(people) people, \(rules.divisionRule(canton: canton, population: people)))"
                )
            } else {
                hard(
                    "whole-canton", canton, ds.sorted(),
                    "split between distritos \(ds.sorted().joined(separator: ", ")) but may not be (\(people) people, \(rules.divisionRule(canton: canton, population: people)))"
                )
            }
        }
        let connections = territory.connections
        for (d, members) in distritoMembers.sorted(by: { $0.key < $1.key }) {
            let provinces = Set(members.filter { !units[$0].isUndelimited }.map { units[$0].province })
            if provinces.count > 1 {
                hard(
                    "province", d, provinces.sorted(),
                    "distrito spans provinces \(provinces.sorted().joined(separator: ", "))")
            } else if let p = provinces.first, PlanningRules.isDistritoCode(d), !d.hasPrefix(p) {
                hard("code", d, [p], "distrito \(d) lies in province \(p): its code must start with \(p)")
            }
            for u in members where units[u].isUndelimited {
                soft(
                    "province", d, [units[u].id],
                    "\(units[u].id) lies in a zona no delimitada (code 90) and is planned in \(d)")
            }
            let cantons = Set(members.map { units[$0].canton })
            let splitHere = cantons.filter { (cantonDistritos[$0]?.count ?? 0) > 1 }
            if !splitHere.isEmpty && cantons.count > 1 {
                hard(
                    "whole-canton", d, cantons.sorted(),
                    "holds part of split cantón \(splitHere.sorted().joined(separator: ", ")) together with other cantones"
                )
            }
            let zonas = Set(members.compactMap { zones.zona(of: units[$0]) })
            if zonas.count > 1 {
                hard("nesting", d, zonas.sorted(), "distrito spans zonas \(zonas.sorted().joined(separator: ", "))")
            }
            if let z = zonas.first { report.zonas[z, default: []].append(d) }
            let parts = territory.components(of: members, connections: connections)
            if parts.count > 1 {
                hard(
                    "contiguity", d, parts.dropFirst().flatMap { $0.map { units[$0].id } },
                    "distrito is in \(parts.count) pieces; detached: \(parts.dropFirst().map { $0.map { units[$0].id }.joined(separator: "+") }.joined(separator: "; ")) (join islands with a links file)"
                )
            }
        }
        for (c, members) in circuitoMembers.sorted(by: { $0.key < $1.key }) {
            let parts = territory.components(of: members, connections: connections)
            if parts.count > 1 {
                hard(
                    "contiguity", c, parts.dropFirst().flatMap { $0.map { units[$0].id } },
                    "circuito is in \(parts.count) pieces")
            }
        }
        // Figures and balance.
        let extents = territory.cantonExtents(metric: metric)
        func figures(_ members: [String: [Int]], target: Int, level: String, shares: (Int) -> Int) -> [UnitFigures] {
            members.sorted { $0.key < $1.key }.map { code, idx in
                let people = idx.map { Double(units[$0].population) / Double(shares($0)) }
                let total = people.reduce(0, +)
                // Seat: the most populous member (ties: the smaller code).
                var seatK = 0
                for k in idx.indices where (people[k], units[idx[seatK]].id) > (people[seatK], units[idx[k]].id) {
                    seatK = k
                }
                let seat = idx[seatK]
                var inertia = 0.0, access = 0.0, farthest = 0.0
                for (k, i) in idx.enumerated() {
                    let d = metric.metres(units[i].location, units[seat].location) / 1_000
                    inertia += people[k] * d * d
                    access += people[k] * d
                    if people[k] > 0 { farthest = max(farthest, d) }
                }
                let deviation = (total - Double(target)) / Double(target)
                var reason: String? = nil
                let cantons = Set(idx.map { units[$0].canton })
                if abs(deviation) > rules.tolerance {
                    if level == "distrito", cantons.count == 1, let only = cantons.first,
                        (cantonDistritos[only]?.count ?? 0) == 1
                    {
                        reason = "a single whole cantón of \(Int(total)) people"
                    } else if idx.count == 1 {
                        reason = "a single whole parroquia"
                    }
                }
                var figures = UnitFigures(
                    code: code, population: total, deviation: deviation, members: idx.map { units[$0].id },
                    seat: units[seat].id,
                    inertiaKm: total > 0 ? (inertia / total).squareRoot() : 0, accessKm: total > 0 ? access / total : 0,
                    estimated: idx.contains { shares($0) > 1 }, reason: reason)
                figures.farthestKm = farthest
                figures.cantons = cantons.count
                figures.cantonExtentKm = cantons.map { (extents[$0] ?? 0) / 1_000 }.max() ?? 0
                return figures
            }
        }
        report.distritos = figures(distritoMembers, target: rules.distritoTarget, level: "distrito") { i in
            plan.assignments[units[i].id]?.distritos.count ?? 1
        }
        report.circuitos = figures(circuitoMembers, target: rules.circuitoTarget, level: "circuito") { i in
            max(1, plan.assignments[units[i].id]?.circuitos.count ?? 1)
        }
        for f in report.distritos + report.circuitos where abs(f.deviation) > rules.tolerance {
            let level = report.distritos.contains { $0.code == f.code } ? "distrito" : "circuito"
            let text =
                "\(level) has \(Int(f.population.rounded())) people, \(Int((f.deviation * 100).rounded())) % from the target"
                + (f.reason.map { " (\($0))" } ?? "")
            if rules.strictBalance && f.reason == nil {
                hard("balance", f.code, [], text)
            } else {
                soft("balance", f.code, [], text)
            }
        }
        return report
    }
}

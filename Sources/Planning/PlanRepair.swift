/// One change made by a repair.
public struct RepairMove: Sendable, Hashable {
    public var units: [String]
    /// nil when the units were not planned before.
    public var from: String?
    public var to: String
    public var population: Int
    /// The rule the move fixes (`coverage`, `contiguity`, `whole-canton`, `province`).
    public var rule: String

    public init(units: [String], from: String?, to: String, population: Int, rule: String) {
        self.units = units
        self.from = from
        self.to = to
        self.population = population
        self.rule = rule
    }
}

/// Repairs a plan by changing only what breaks a hard rule, one violation at a time, always
/// moving the smallest set of people that fixes it:
/// - coverage: an unplanned unit with people joins the neighbouring distrito that keeps the
///   best balance;
/// - contiguity: every detached piece of a distrito (all but its most populous piece) moves to
///   the neighbouring distrito that keeps the best balance;
/// - whole cantón: the smaller parts of a cantón split below the threshold join its largest part;
/// - province: units in a distrito of another province move to a neighbouring distrito of theirs.
/// Locked units and locked distritos never move or lose units, and a unit the repair has moved
/// once never moves again: when two rules pull the same unit both ways (a cantón that is itself
/// in pieces), the conflict is left in the report instead of being chased. A moved unit joins a
/// circuito of its new distrito that touches it (or a new circuito). Rules that moves cannot fix
/// (codes, zonas) are left to the report.
public enum PlanRepair {
    public static func repair(
        _ plan: Plan, territory: Territory, zones: ZoneTable, rules: PlanningRules, locks: Set<String> = [],
        metric: some DistanceMetric,
        maximumMoves: Int = 10_000
    ) throws -> (plan: Plan, moves: [RepairMove]) {
        var plan = plan
        var moves: [RepairMove] = []
        let units = territory.units
        let graph = territory.connections
        func distrito(_ i: Int) -> String? { plan.assignments[units[i].id]?.distritos.first }
        var moved = Set<Int>()
        func locked(_ i: Int) -> Bool {
            moved.contains(i) || locks.contains(units[i].id)
                || (plan.assignments[units[i].id]?.distritos.contains { locks.contains($0) } ?? false)
        }
        func population(_ code: String) -> Int {
            units.indices.filter { distrito($0) == code }.reduce(0) { $0 + units[$1].population }
        }
        /// The neighbouring distrito (not locked, same province unless undelimited) that keeps
        /// the best balance after receiving `members`.
        func destination(for members: [Int], excluding: String?) -> String? {
            let moving = members.reduce(0) { $0 + units[$1].population }
            let province = members.map { units[$0].province }.first { $0 != "90" }
            let candidates = Set(members.flatMap { graph[$0] }.compactMap { distrito($0) }).filter { code in
                code != excluding && !locks.contains(code) && (province == nil || code.hasPrefix(province ?? ""))
            }
            return candidates.min { a, b in
                let da = abs(Double(population(a) + moving - rules.distritoTarget)),
                    db = abs(Double(population(b) + moving - rules.distritoTarget))
                return (da, a) < (db, b)
            }
        }
        func move(_ members: [Int], to code: String, rule: String) {
            let from = members.first.flatMap { distrito($0) }
            moved.formUnion(members)
            for i in members {
                var circuitos: [String] = []
                if plan.hasCircuitos {
                    // A circuito of the new distrito that touches the unit, else a new one.
                    let touching = graph[i].compactMap { j -> String? in
                        guard distrito(j) == code else { return nil }
                        return plan.assignments[units[j].id]?.circuitos.first
                    }
                    if let c = touching.min() {
                        circuitos = [c]
                    } else {
                        let used = Set(plan.assignments.values.flatMap(\.circuitos).filter { $0.hasPrefix(code) })
                        var n = 1
                        while used.contains(code + "C" + (n < 10 ? "0" : "") + String(n)) { n += 1 }
                        circuitos = [code + "C" + (n < 10 ? "0" : "") + String(n)]
                    }
                }
                plan.assignments[units[i].id] = Plan.Assignment(distritos: [code], circuitos: circuitos)
            }
            moves.append(
                RepairMove(
                    units: members.map { units[$0].id }, from: from, to: code,
                    population: members.reduce(0) { $0 + units[$1].population }, rule: rule))
        }

        for _ in 0..<maximumMoves {
            let report = try PlanValidator.validate(
                plan, territory: territory, zones: zones, rules: rules, metric: metric)
            var fixed = false
            for v in report.violations {
                switch v.rule {
                case "coverage":
                    // Units adjacent to a planned distrito first, so islands of unplanned units fill in.
                    let missing = v.members.compactMap { territory.index[$0] }
                    for i in missing where !locked(i) {
                        if let to = destination(for: [i], excluding: nil) {
                            move([i], to: to, rule: "coverage")
                            fixed = true
                            break
                        }
                    }
                case "contiguity" where v.unit.map(PlanningRules.isDistritoCode) == true:
                    guard let code = v.unit else { continue }
                    let members = units.indices.filter { distrito($0) == code }
                    let pieces = territory.components(of: members, connections: graph)
                        .sorted {
                            $0.reduce(0) { $0 + units[$1].population } > $1.reduce(0) { $0 + units[$1].population }
                        }
                    for piece in pieces.dropFirst() where !piece.contains(where: locked) {
                        if let to = destination(for: piece, excluding: code) {
                            move(piece, to: to, rule: "contiguity")
                            fixed = true
                            break
                        }
                    }
                case "whole-canton" where v.unit?.count == 4:
                    guard let canton = v.unit else { continue }
                    let members = units.indices.filter { units[$0].canton == canton && distrito($0) != nil }
                    let byDistrito = Dictionary(grouping: members) { distrito($0) ?? "" }
                    guard
                        let keep = byDistrito.max(by: {
                            ($0.value.reduce(0) { $0 + units[$1].population }, $1.key) < (
                                $1.value.reduce(0) { $0 + units[$1].population }, $0.key
                            )
                        })?.key
                    else { continue }
                    for (code, part) in byDistrito.sorted(by: { $0.key < $1.key })
                    where code != keep && !part.contains(where: locked) && !locks.contains(keep) {
                        move(part, to: keep, rule: "whole-canton")
                        fixed = true
                        break
                    }
                case "province":
                    guard let code = v.unit else { continue }
                    let prefix = String(code.prefix(2))
                    let strays = units.indices.filter {
                        distrito($0) == code && !units[$0].isUndelimited && units[$0].province != prefix && !locked($0)
                    }
                    if let i = strays.min(by: {
                        (units[$0].population, units[$0].id) < (units[$1].population, units[$1].id)
                    }), let to = destination(for: [i], excluding: code) {
                        move([i], to: to, rule: "province")
                        fixed = true
                    }
                default:
                    continue
                }
                if fixed { break }
            }
            if !fixed { break }
        }
        return (plan, moves)
    }
}

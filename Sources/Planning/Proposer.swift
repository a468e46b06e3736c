/// Options of a proposal.
public struct ProposalOptions: Sendable {
    public var seed: UInt64
    public var objective: PartitionObjective
    /// Fixed national totals (e.g. 140 and 1,134): apportioned to provinces and distritos by
    /// largest remainder instead of following population ÷ target.
    public var distritos: Int?
    public var circuitos: Int?
    /// Restrict the proposal to units of these provinces (nil: the whole country).
    public var provinces: Set<String>?
    public var restarts: Int

    public init(
        seed: UInt64 = 2012, objective: PartitionObjective = .init(), distritos: Int? = nil, circuitos: Int? = nil,
        provinces: Set<String>? = nil, restarts: Int = 24
    ) {
        self.seed = seed
        self.objective = objective
        self.distritos = distritos
        self.circuitos = circuitos
        self.provinces = provinces
        self.restarts = restarts
    }
}

/// One solved subproblem, for the report.
public struct SubproblemRecord: Sendable {
    public var level: String
    public var scope: String
    public var units: Int
    public var parts: Int
    public var optimal: Bool
    public var cost: Double
    public var lowerBound: Double
    public var gap: Double
}

/// A proposed plan and how it was made.
public struct Proposal: Sendable {
    public var plan: Plan
    public var subproblems: [SubproblemRecord]
    /// Units and why a target could not be met (an oversized parish without a finer layer...).
    public var notes: [String]
}

/// A set of units to be divided into distritos: partition nodes are whole cantones, or single
/// parroquias for a cantón large enough to be split.
struct DistritoGroup {
    var province: String
    var members: [Int]
    var nodes: [[Int]]
    var label: String
}

/// Builds a complete nested plan: distritos inside each province (whole cantones; a cantón
/// above the split threshold is divided on its own into distritos of whole parroquias), then
/// circuitos inside each distrito (whole parroquias). The number of units follows population ÷
/// target unless national totals are fixed. Every subproblem is a contiguous partition solved
/// by ``Partitioner`` (exactly when small), seeded, so the same seed gives the same plan.
public enum Proposer {
    public static func propose(
        _ territory: Territory, rules: PlanningRules, options: ProposalOptions, metric: some DistanceMetric
    ) throws -> Proposal {
        let units = territory.units
        let graph = territory.connections
        var notes: [String] = []
        var records: [SubproblemRecord] = []
        // Provinces; the units of each undelimited zone (a cantón code 90xx) join, together, the
        // province of the zone's most populous neighbour, so a zone is never divided between
        // provinces.
        var province = units.map(\.province)
        var zones: [String: [Int]] = [:]
        for (i, u) in units.enumerated() where u.isUndelimited { zones[u.canton, default: []].append(i) }
        for (_, members) in zones.sorted(by: { $0.key < $1.key }) {
            let inside = Set(members)
            let host = Set(members.flatMap { graph[$0] }).filter { !inside.contains($0) && !units[$0].isUndelimited }
                .max { (units[$0].population, units[$1].id) < (units[$1].population, units[$0].id) }
            guard let host else { continue }
            for i in members {
                province[i] = units[host].province
                notes.append(
                    "\(units[i].id) (zona no delimitada) planned with province \(units[host].province), its zone's most populous neighbour's"
                )
            }
        }
        let scope = units.indices.filter { options.provinces?.contains(province[$0]) ?? true }
        guard !scope.isEmpty else { throw PlanningError("no unit in the selected provinces") }
        let provinces = Array(Set(scope.map { province[$0] })).sorted()

        // Groups that become distritos: per province, each large cantón on its own, and the
        // remaining cantones by connected component of the cantón graph.
        var groups: [DistritoGroup] = []
        for p in provinces {
            let inProvince = scope.filter { province[$0] == p }
            var byCanton: [String: [Int]] = [:]
            for i in inProvince { byCanton[units[i].canton, default: []].append(i) }
            var rest: [[Int]] = []
            for (canton, members) in byCanton.sorted(by: { $0.key < $1.key }) {
                let people = members.reduce(0) { $0 + units[$1].population }
                if rules.mayDivide(canton: canton, population: people) {
                    groups.append(
                        DistritoGroup(
                            province: p, members: members, nodes: members.map { [$0] }, label: "cantón \(canton)"))
                } else {
                    rest.append(members)
                    if Double(people) > 2.5 * Double(rules.distritoTarget) {
                        notes.append(
                            "cantón \(canton) has \(people) people (\(fmt1(Double(people) / Double(rules.distritoTarget))) × the distrito target) and stays whole: \(rules.divisionRule(canton: canton, population: people))"
                        )
                    }
                }
            }
            // Components of the remaining cantones.
            var cantonOf: [Int: Int] = [:]
            for (k, c) in rest.enumerated() { for i in c { cantonOf[i] = k } }
            var seen = Set<Int>()
            for start in rest.indices where !seen.contains(start) {
                var stack = [start]
                seen.insert(start)
                var component: [Int] = []
                while let c = stack.popLast() {
                    component.append(c)
                    for i in rest[c] {
                        for j in graph[i] {
                            if let d = cantonOf[j], !seen.contains(d) { seen.insert(d); stack.append(d) }
                        }
                    }
                }
                component.sort()
                groups.append(
                    DistritoGroup(
                        province: p, members: component.flatMap { rest[$0] }, nodes: component.map { rest[$0] },
                        label: "province \(p)"
                            + (component.count < rest.count
                                ? " (part \(groups.filter { $0.province == p }.count + 1))" : "")))
            }
        }
        // Distritos per group.
        let population = groups.map { g in Double(g.members.reduce(0) { $0 + units[$1].population }) }
        var counts = population.indices.map { k in
            max(1, min(groups[k].nodes.count, Int((population[k] / Double(rules.distritoTarget)).rounded())))
        }
        if let total = options.distritos {
            counts = try apportion(
                total, weights: population, minimum: 1, maximum: groups.map { $0.nodes.count }, what: "distritos")
        }
        var assignments: [String: Plan.Assignment] = [:]
        var distritoMembers: [(code: String, members: [Int])] = []
        var perProvince: [String: Int] = [:]
        for (k, g) in groups.enumerated() {
            // The rule's target, or the group's even share when national totals are fixed.
            let target = options.distritos == nil ? Double(rules.distritoTarget) : population[k] / Double(counts[k])
            let solution = try solveGroup(
                g.nodes, parts: counts[k],
                target: target, territory: territory,
                graph: graph, options: options, metric: metric, seed: options.seed &+ UInt64(k))
            records.append(
                SubproblemRecord(
                    level: "distritos", scope: g.label, units: g.nodes.count, parts: counts[k],
                    optimal: solution.optimal, cost: solution.cost, lowerBound: solution.lowerBound, gap: solution.gap))
            // Parts in order of their smallest unit code.
            var parts = [[Int]](repeating: [], count: counts[k])
            for (n, part) in solution.assignment.enumerated() { parts[part] += g.nodes[n] }
            for part in parts.sorted(by: {
                ($0.map { units[$0].id }.min() ?? "") < ($1.map { units[$0].id }.min() ?? "")
            }) {
                perProvince[g.province, default: 0] += 1
                let number = perProvince[g.province] ?? 1
                let code = g.province + "D" + (number < 10 ? "0" : "") + String(number)
                distritoMembers.append((code, part))
            }
            for i in g.members
            where units[i].population > rules.distritoTarget && g.nodes.count > 1 && g.nodes.contains([i]) {
                notes.append(
                    "\(units[i].id) has \(units[i].population) people, more than a distrito: it stays whole (split it with a finer layer)"
                )
            }
        }
        // Circuitos per distrito.
        let distritoPopulation = distritoMembers.map { d in Double(d.members.reduce(0) { $0 + units[$1].population }) }
        var circuitoCounts = distritoMembers.indices.map { k in
            max(
                1,
                min(
                    distritoMembers[k].members.count,
                    Int((distritoPopulation[k] / Double(rules.circuitoTarget)).rounded())))
        }
        if let total = options.circuitos {
            circuitoCounts = try apportion(
                total, weights: distritoPopulation, minimum: 1, maximum: distritoMembers.map { $0.members.count },
                what: "circuitos")
        }
        for (k, d) in distritoMembers.enumerated() {
            let target =
                options.circuitos == nil
                ? Double(rules.circuitoTarget) : distritoPopulation[k] / Double(circuitoCounts[k])
            let solution = try solveGroup(
                d.members.map { [$0] }, parts: circuitoCounts[k], target: target, territory: territory, graph: graph,
                options: options, metric: metric, seed: options.seed &+ 1_000_003 &+ UInt64(k))
            records.append(
                SubproblemRecord(
                    level: "circuitos", scope: d.code, units: d.members.count, parts: circuitoCounts[k],
                    optimal: solution.optimal, cost: solution.cost, lowerBound: solution.lowerBound, gap: solution.gap))
            var parts = [[Int]](repeating: [], count: circuitoCounts[k])
            for (n, part) in solution.assignment.enumerated() { parts[part].append(d.members[n]) }
            for (c, part) in parts.sorted(by: {
                ($0.map { units[$0].id }.min() ?? "") < ($1.map { units[$0].id }.min() ?? "")
            }).enumerated() {
                let code = d.code + "C" + (c + 1 < 10 ? "0" : "") + String(c + 1)
                for i in part { assignments[units[i].id] = Plan.Assignment(distritos: [d.code], circuitos: [code]) }
            }
            let wanted = Int((distritoPopulation[k] / Double(rules.circuitoTarget)).rounded())
            if options.circuitos == nil && wanted > d.members.count {
                notes.append(
                    "\(d.code) would need \(wanted) circuitos but has \(d.members.count) units: each is one circuito (split oversized parroquias with --split, or more finely)"
                )
            }
        }
        return Proposal(
            plan: Plan(source: "proposal (seed \(options.seed))", assignments: assignments), subproblems: records,
            notes: notes)
    }

    /// Solves one subproblem over `nodes` (each a list of units merged into one node).
    static func solveGroup(
        _ nodes: [[Int]], parts: Int, target: Double, territory: Territory, graph: [[Int]], options: ProposalOptions,
        metric: some DistanceMetric, seed: UInt64
    ) throws -> PartitionSolution {
        let units = territory.units
        var nodeOf: [Int: Int] = [:]
        for (n, members) in nodes.enumerated() { for i in members { nodeOf[i] = n } }
        var neighbours = [Set<Int>](repeating: [], count: nodes.count)
        for (n, members) in nodes.enumerated() {
            for i in members { for j in graph[i] { if let m = nodeOf[j], m != n { neighbours[n].insert(m) } } }
        }
        let populations = nodes.map { Double($0.reduce(0) { $0 + units[$1].population }) }
        // A node is located at its most populous unit.
        let locations = nodes.map { members in
            units[
                members.max { (units[$0].population, units[$1].id) < (units[$1].population, units[$0].id) }
                    ?? members[0]
            ].location
        }
        let problem = PartitionProblem(
            populations: populations, locations: locations, neighbours: neighbours.map { $0.sorted() }, parts: parts,
            target: max(target, 1), objective: options.objective)
        guard let solution = Partitioner.solve(problem, metric: metric, seed: seed, restarts: options.restarts) else {
            let names = nodes.flatMap { $0.map { units[$0].id } }
            throw PlanningError("no contiguous split into \(parts) parts exists (islands without links?)", units: names)
        }
        return solution
    }

    /// Largest-remainder apportionment of `total` seats by `weights`, within per-item bounds.
    static func apportion(_ total: Int, weights: [Double], minimum: Int, maximum: [Int], what: String) throws -> [Int] {
        let n = weights.count
        guard total >= n * minimum else {
            throw PlanningError("\(total) \(what) cannot give each of the \(n) groups at least \(minimum)")
        }
        let capacity = maximum.reduce(0, +)
        guard total <= capacity else {
            throw PlanningError("\(total) \(what) asked for, but the whole units allow at most \(capacity)")
        }
        var seats = [Int](repeating: minimum, count: n)
        var left = total - n * minimum
        let sum = weights.reduce(0, +)
        while left > 0 {
            // Give the next seat to the group with the largest remaining quota.
            var best = -1
            var bestQuota = -Double.infinity
            for k in 0..<n where seats[k] < maximum[k] {
                let quota = (sum > 0 ? weights[k] / sum : 1) * Double(total) - Double(seats[k])
                if quota > bestQuota { bestQuota = quota; best = k }
            }
            guard best >= 0 else { break }
            seats[best] += 1
            left -= 1
        }
        return seats
    }

    /// One decimal, for notes.
    static func fmt1(_ x: Double) -> String { String((x * 10).rounded() / 10) }
}

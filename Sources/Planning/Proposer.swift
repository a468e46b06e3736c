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
    /// Extent and accessibility of a distrito (the source: "dependiendo de la densidad
    /// poblacional, de la extensión territorial y de criterios de accesibilidad"): the
    /// population-weighted mean distance from its people to the seat and the farthest unit, km
    /// (nil: no bound). A distrito of a single cantón is exempt: the cantón is whole.
    public var distritoMeanDistanceKm: Double?
    public var distritoMaxDistanceKm: Double?
    /// At most this many distritos more than population ÷ target in a group, to meet the bounds.
    public var extraDistritos: Int
    /// Told `(task, done, total)` as subproblems are solved (a progress bar).
    public var progress: (@Sendable (_ task: String, _ done: Int, _ total: Int) -> Void)?

    public init(
        seed: UInt64 = 2012, objective: PartitionObjective = .init(), distritos: Int? = nil, circuitos: Int? = nil,
        provinces: Set<String>? = nil, restarts: Int = 24, distritoMeanDistanceKm: Double? = 40,
        distritoMaxDistanceKm: Double? = 120, extraDistritos: Int = 3
    ) {
        self.seed = seed
        self.objective = objective
        self.distritos = distritos
        self.circuitos = circuitos
        self.provinces = provinces
        self.restarts = restarts
        self.distritoMeanDistanceKm = distritoMeanDistanceKm
        self.distritoMaxDistanceKm = distritoMaxDistanceKm
        self.extraDistritos = extraDistritos
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
    /// A divisible cantón (one of the named cities): its own target, outside fixed totals.
    var city = false
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
                            province: p, members: members, nodes: members.map { [$0] }, label: "cantón \(canton)",
                            city: rules.divisibleCantons != nil))
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
        // Distritos per group: population ÷ target (or a fixed total apportioned by population),
        // then raised where the extent and accessibility bounds need more, smaller distritos.
        let population = groups.map { g in Double(g.members.reduce(0) { $0 + units[$1].population }) }
        let maxParts = groups.map { $0.nodes.count }
        // The named cities have their own target and are outside a fixed total.
        let cityTarget = Double(rules.cityDistritoTarget ?? rules.distritoTarget)
        var counts = population.indices.map { k in
            max(
                1,
                min(
                    maxParts[k],
                    Int((population[k] / (groups[k].city ? cityTarget : Double(rules.distritoTarget))).rounded())))
        }
        let cities = groups.indices.filter { groups[$0].city && rules.cityDistritoTarget != nil }
        let others = groups.indices.filter { !cities.contains($0) }
        /// Apportions what a fixed total leaves after the cities, by population, with minimums.
        func apportionOthers(_ total: Int, minimum: [Int]) throws -> [Int] {
            let left = total - cities.reduce(0) { $0 + counts[$1] }
            let share = try apportion(
                left, weights: others.map { population[$0] }, minimum: others.map { minimum[$0] },
                maximum: others.map { maxParts[$0] },
                what: "distritos (after the \(total - left) of the divisible cities)")
            var out = counts
            for (n, k) in others.enumerated() { out[k] = share[n] }
            return out
        }
        if let total = options.distritos {
            counts = try apportionOthers(total, minimum: groups.map { _ in 1 })
        }
        var distritoObjective = options.objective
        distritoObjective.meanDistanceBound = options.distritoMeanDistanceKm.map { $0 * 1000 }
        distritoObjective.maxDistanceBound = options.distritoMaxDistanceKm.map { $0 * 1000 }
        func solveDistritos(_ k: Int, _ parts: Int) throws -> PartitionSolution {
            // The rule's target (the cities' own), or the group's even share when national totals
            // are fixed.
            let target =
                groups[k].city && rules.cityDistritoTarget != nil
                ? cityTarget : options.distritos == nil ? Double(rules.distritoTarget) : population[k] / Double(parts)
            return try solveGroup(
                groups[k].nodes, parts: parts, target: target, territory: territory, graph: graph,
                objective: distritoObjective, options: options, metric: metric, seed: options.seed &+ UInt64(k))
        }
        var solutions = [PartitionSolution?](repeating: nil, count: groups.count)
        if distritoObjective.hasBounds {
            var needed = counts
            for k in groups.indices {
                options.progress?("distritos within the distance bounds", k, groups.count)
                defer { options.progress?("distritos within the distance bounds", k + 1, groups.count) }
                var parts = counts[k]
                var best = try solveDistritos(k, parts)
                var excess = boundExcess(
                    best, nodes: groups[k].nodes, territory: territory, options: options, metric: metric)
                // Every count up to the cap is tried (one more part may not help where two do);
                // the smallest count with the least excess wins.
                var trial = parts
                while excess > 0, trial < min(maxParts[k], counts[k] + options.extraDistritos) {
                    trial += 1
                    // A count with no contiguous split ends the search.
                    guard let next = try? solveDistritos(k, trial) else { break }
                    let nextExcess = boundExcess(
                        next, nodes: groups[k].nodes, territory: territory, options: options, metric: metric)
                    if nextExcess < excess - 1e-9 {
                        parts = trial
                        best = next
                        excess = nextExcess
                    }
                }
                needed[k] = parts
                solutions[k] = best
            }
            if let total = options.distritos, needed != counts {
                let seats = others.reduce(0) { $0 + needed[$1] } + cities.reduce(0) { $0 + counts[$1] }
                if seats <= total {
                    let fitted = try apportionOthers(total, minimum: needed)
                    for k in groups.indices where fitted[k] != needed[k] { solutions[k] = nil }
                    counts = fitted
                } else {
                    // Not enough seats for every bound. Moving seats between groups would
                    // need every group solved at every count (a group within the bounds may
                    // be so only thanks to its population share): the total follows
                    // population, and the report names the distritos beyond the bounds.
                    notes.append(
                        "the distance bounds need \(seats) distritos, more than the \(total) asked for: the total is apportioned by population alone"
                    )
                    solutions = solutions.indices.map { counts[$0] == needed[$0] ? solutions[$0] : nil }
                }
            } else {
                for k in groups.indices where needed[k] > counts[k] {
                    notes.append(
                        "\(groups[k].label): \(needed[k]) distritos instead of \(counts[k]) (population ÷ target) to keep them within the distance bounds"
                    )
                }
                counts = needed
            }
        }
        var distritoMembers: [(code: String, members: [Int])] = []
        var perProvince: [String: Int] = [:]
        for (k, g) in groups.enumerated() {
            options.progress?("distrito subproblems", k, groups.count)
            defer { options.progress?("distrito subproblems", k + 1, groups.count) }
            let solution = try solutions[k] ?? solveDistritos(k, counts[k])
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
        let circuitos = try circuitos(
            inside: distritoMembers, territory: territory, rules: rules, options: options, metric: metric)
        records += circuitos.records
        notes += circuitos.notes
        return Proposal(
            plan: Plan(source: "proposal (seed \(options.seed))", assignments: circuitos.assignments),
            subproblems: records,
            notes: notes)
    }

    /// Circuitos of whole units inside given distritos (locked): per distrito, population ÷ the
    /// circuito target circuitos (or a fixed national total apportioned by population), each a
    /// contiguous partition solved by ``Partitioner``. `weights` is each unit's population for
    /// this purpose (default: its census figure; a unit shared by k distritos, as the official
    /// plan shares a cabecera, is given 1/k of it in each). A distrito whose units have no
    /// contiguous split (an exclave without a link) gets one circuito per connected part. Codes
    /// are the distrito's followed by C01, C02… in order of each circuito's smallest unit code.
    /// Used by ``propose(_:rules:options:metric:)`` and to derive circuitos for a plan without
    /// them (the services' circuito norms).
    public static func circuitos(
        inside distritoMembers: [(code: String, members: [Int])], territory: Territory, rules: PlanningRules,
        options: ProposalOptions, metric: some DistanceMetric, weights: [Double]? = nil
    ) throws -> (assignments: [String: Plan.Assignment], records: [SubproblemRecord], notes: [String]) {
        let units = territory.units
        let graph = territory.connections
        let weight = weights ?? units.map { Double($0.population) }
        var assignments: [String: Plan.Assignment] = [:]
        var records: [SubproblemRecord] = []
        var notes: [String] = []
        func assign(_ unit: Int, distrito: String, circuito: String) {
            var a = assignments[units[unit].id] ?? Plan.Assignment(distritos: [], circuitos: [])
            a.distritos.append(distrito)
            a.circuitos.append(circuito)
            assignments[units[unit].id] = a
        }
        let distritoPopulation = distritoMembers.map { d in d.members.reduce(0.0) { $0 + weight[$1] } }
        var circuitoCounts = distritoMembers.indices.map { k in
            max(
                1,
                min(
                    distritoMembers[k].members.count,
                    Int((distritoPopulation[k] / Double(rules.circuitoTarget)).rounded())))
        }
        if let total = options.circuitos {
            circuitoCounts = try apportion(
                total, weights: distritoPopulation, minimum: distritoMembers.map { _ in 1 },
                maximum: distritoMembers.map { $0.members.count },
                what: "circuitos")
        }
        for (k, d) in distritoMembers.enumerated() {
            options.progress?("circuito subproblems", k, distritoMembers.count)
            defer { options.progress?("circuito subproblems", k + 1, distritoMembers.count) }
            let target =
                options.circuitos == nil
                ? Double(rules.circuitoTarget) : distritoPopulation[k] / Double(circuitoCounts[k])
            func solveCircuitos(_ count: Int) throws -> PartitionSolution {
                try solveGroup(
                    d.members.map { [$0] }, parts: count, target: target, territory: territory, graph: graph,
                    objective: options.objective, options: options, metric: metric,
                    seed: options.seed &+ 1_000_003 &+ UInt64(k), weights: weight)
            }
            let solution: PartitionSolution
            do {
                var best = try solveCircuitos(circuitoCounts[k])
                // Population ÷ target rounds; where it leaves a circuito of several units beyond
                // ±50 % of the target, one circuito fewer or more may balance better (same
                // target, so the costs compare). Not with a fixed national total.
                if options.circuitos == nil,
                    lopsided(best, members: d.members, target: target, weights: weight)
                {
                    for other in [circuitoCounts[k] - 1, circuitoCounts[k] + 1]
                    where other >= 1 && other <= d.members.count {
                        // An alternative count with no contiguous split is simply not taken.
                        guard let candidate = try? solveCircuitos(other) else { continue }
                        if candidate.cost < best.cost - 1e-9 {
                            best = candidate
                            circuitoCounts[k] = other
                        }
                    }
                }
                solution = best
            } catch let error as PlanningError where weights != nil {
                // A given distrito may be in several parts: one circuito per part.
                let parts = territory.components(of: d.members)
                notes.append(
                    "\(d.code) has no contiguous split into \(circuitoCounts[k]) circuitos (\(error.message)): one circuito per connected part (\(parts.count))"
                )
                var part = [Int](repeating: 0, count: d.members.count)
                let position = Dictionary(d.members.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                for (p, members) in parts.enumerated() { for i in members { part[position[i] ?? 0] = p } }
                circuitoCounts[k] = parts.count
                solution = PartitionSolution(assignment: part, cost: .nan, optimal: false, lowerBound: .nan)
            }
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
                for i in part { assign(i, distrito: d.code, circuito: code) }
            }
            let wanted = Int((distritoPopulation[k] / Double(rules.circuitoTarget)).rounded())
            if options.circuitos == nil && wanted > d.members.count {
                notes.append(
                    "\(d.code) would need \(wanted) circuitos but has \(d.members.count) units: each is one circuito (split oversized parroquias with --split, or more finely)"
                )
            }
        }
        return (assignments, records, notes)
    }

    /// Solves one subproblem over `nodes` (each a list of units merged into one node).
    static func solveGroup(
        _ nodes: [[Int]], parts: Int, target: Double, territory: Territory, graph: [[Int]],
        objective: PartitionObjective, options: ProposalOptions, metric: some DistanceMetric, seed: UInt64,
        weights: [Double]? = nil
    ) throws -> PartitionSolution {
        let units = territory.units
        let weight = weights ?? units.map { Double($0.population) }
        var nodeOf: [Int: Int] = [:]
        for (n, members) in nodes.enumerated() { for i in members { nodeOf[i] = n } }
        var neighbours = [Set<Int>](repeating: [], count: nodes.count)
        for (n, members) in nodes.enumerated() {
            for i in members { for j in graph[i] { if let m = nodeOf[j], m != n { neighbours[n].insert(m) } } }
        }
        let populations = nodes.map { $0.reduce(0.0) { $0 + weight[$1] } }
        // A node is located at its most populous unit.
        let locations = nodes.map { members in
            units[
                members.max { (units[$0].population, units[$1].id) < (units[$1].population, units[$0].id) }
                    ?? members[0]
            ].location
        }
        let problem = PartitionProblem(
            populations: populations, locations: locations, neighbours: neighbours.map { $0.sorted() }, parts: parts,
            target: max(target, 1), objective: objective)
        guard let solution = Partitioner.solve(problem, metric: metric, seed: seed, restarts: options.restarts) else {
            let names = nodes.flatMap { $0.map { units[$0].id } }
            throw PlanningError("no contiguous split into \(parts) parts exists (islands without links?)", units: names)
        }
        return solution
    }

    /// Whether a part of several units lies beyond ±50 % of the target.
    static func lopsided(_ solution: PartitionSolution, members: [Int], target: Double, weights: [Double]) -> Bool {
        var people: [Int: Double] = [:]
        var count: [Int: Int] = [:]
        for (n, part) in solution.assignment.enumerated() {
            people[part, default: 0] += weights[members[n]]
            count[part, default: 0] += 1
        }
        return people.contains { part, p in (count[part] ?? 0) > 1 && abs(p - target) > 0.5 * target }
    }

    /// How far a solution's distritos break the distance bounds, in km summed over the
    /// distritos of more than one node (a whole cantón alone is exempt): the mean distance from
    /// the people of its units to the seat (its most populous unit) beyond the mean bound, plus
    /// its farthest populated unit beyond the maximum. O(units) geodesics.
    static func boundExcess(
        _ solution: PartitionSolution, nodes: [[Int]], territory: Territory, options: ProposalOptions,
        metric: some DistanceMetric
    ) -> Double {
        let units = territory.units
        var parts: [Int: [Int]] = [:]
        var nodeCount: [Int: Int] = [:]
        for (n, part) in solution.assignment.enumerated() {
            parts[part, default: []] += nodes[n]
            nodeCount[part, default: 0] += 1
        }
        var excess = 0.0
        for (part, members) in parts where (nodeCount[part] ?? 0) > 1 {
            guard
                let seat = members.max(by: {
                    (units[$0].population, units[$1].id) < (units[$1].population, units[$0].id)
                })
            else { continue }
            var people = 0.0, sum = 0.0, farthest = 0.0
            for m in members where units[m].population > 0 {
                let km = metric.metres(units[m].location, units[seat].location) / 1000
                people += Double(units[m].population)
                sum += Double(units[m].population) * km
                farthest = max(farthest, km)
            }
            let mean = people > 0 ? sum / people : 0
            if let bound = options.distritoMeanDistanceKm { excess += max(0, mean - bound) }
            if let bound = options.distritoMaxDistanceKm { excess += max(0, farthest - bound) }
        }
        return excess
    }

    /// Largest-remainder apportionment of `total` seats by `weights`, within per-item bounds.
    static func apportion(_ total: Int, weights: [Double], minimum: [Int], maximum: [Int], what: String) throws
        -> [Int]
    {
        let n = weights.count
        guard total >= minimum.reduce(0, +) else {
            throw PlanningError(
                "\(total) \(what) cannot give each of the \(n) groups its minimum (\(minimum.reduce(0, +)) in all)")
        }
        let capacity = maximum.reduce(0, +)
        guard total <= capacity else {
            throw PlanningError("\(total) \(what) asked for, but the whole units allow at most \(capacity)")
        }
        var seats = minimum
        var left = total - minimum.reduce(0, +)
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

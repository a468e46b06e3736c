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
    /// Counts that would leave a group's distritos below this share of the target on average
    /// are not tried (illustrative default 1/3: about 30,000 people at the 90,000 target).
    public var distritoMinimumShare: Double
    /// Weight of the shape term (``PartitionObjective/shape``: inverse Polsby–Popper less one)
    /// for distritos of whole cantones (never inside the divisible cities, see the proposer)
    /// and for circuitos, replacing `objective.shape` at each level. Illustrative defaults,
    /// chosen on the national plans (README's table): 0.2 for distritos, the lightest weight
    /// tried at which the distritos of whole cantones reach a mean Polsby–Popper of 0.33 in
    /// both national plans (0.337 and 0.332), at 6.3 and 6.6 points of mean deviation above
    /// the bound for whole cantones (0.05: 0.316 at 2.6); 0 for circuitos (their balance,
    /// ≤ 10 %, has less room to give; they score about 0.5 without it).
    public var distritoShape: Double
    public var circuitoShape: Double
    /// Paid by a circuito of several units beyond ±50 % of its target inside the partition
    /// (``PartitionObjective/lopsidedPenalty``): 1, four times the balance cost of a part at
    /// ±50 %. Without it the partition, blind to the rule, joined a small parroquia that
    /// touches nothing else to a lump just under the split threshold even at a count where
    /// it could stand alone (national default plan: 14D03C03 at +59 %; with it none).
    public var circuitoLopsidedPenalty = 1.0
    /// The LP/MIP solver that proves subproblems optimal by set partitioning where the parts
    /// that could beat the heuristic's are few (``SetPartitioning``); nil: enumeration of
    /// small subproblems and the heuristic only.
    public var exactSolver: (any LinearSolver)?
    public var setPartitioningLimits = SetPartitioning.Limits()
    /// Two-part subproblems of at most 64 units that set partitioning leaves open are proven
    /// by branch and bound over their contiguous bipartitions (``ExactBipartition``, at most
    /// ``ExactBipartition/nodeLimit`` nodes each): nationally the cities of two distritos
    /// (Cuenca, Ambato, Santo Domingo). Off by default: the cities' objective is nearly balance
    /// alone, and its optima are less round than the heuristic's splits (default plan: Ambato's
    /// distritos Polsby–Popper 0.51 and 0.46 → 0.21 and 0.21); on, those subproblems' objective,
    /// there nearly balance alone, is proven optimal.
    public var proveBipartitions = false
    /// Told `(task, done, total)` as subproblems are solved (a progress bar).
    public var progress: (@Sendable (_ task: String, _ done: Int, _ total: Int) -> Void)?
    /// Runs the independent subproblems (each group's distrito counts, the distritos, each
    /// distrito's circuitos): one after another by default. The plan is the same with any
    /// runner (``TaskRunner``).
    public var runner: any TaskRunner = SerialTaskRunner()

    public init(
        seed: UInt64 = 2012, objective: PartitionObjective = .init(), distritos: Int? = nil, circuitos: Int? = nil,
        provinces: Set<String>? = nil, restarts: Int = 24, distritoMeanDistanceKm: Double? = 40,
        distritoMaxDistanceKm: Double? = 120, extraDistritos: Int = 3, distritoMinimumShare: Double = 1.0 / 3,
        distritoShape: Double = 0.2, circuitoShape: Double = 0
    ) {
        self.distritoShape = distritoShape
        self.circuitoShape = circuitoShape
        self.seed = seed
        self.objective = objective
        self.distritos = distritos
        self.circuitos = circuitos
        self.provinces = provinces
        self.restarts = restarts
        self.distritoMeanDistanceKm = distritoMeanDistanceKm
        self.distritoMaxDistanceKm = distritoMaxDistanceKm
        self.extraDistritos = extraDistritos
        self.distritoMinimumShare = distritoMinimumShare
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
    /// How it was solved and bounded (``PartitionSolution/method``).
    public var method: String
}

/// A proposed plan and how it was made.
public struct Proposal: Sendable {
    public var plan: Plan
    public var subproblems: [SubproblemRecord]
    /// Units and why a target could not be met (an oversized parish without a finer layer...).
    public var notes: [String]
}

/// One group's distrito counts, each solved and scored (``DistritoCounts``).
struct CountChoices: Sendable {
    var tried: [Int: PartitionSolution]
    var criteria: [Int: DistritoCounts.Score]
}

/// A set of units to be divided into distritos: partition nodes are whole cantones, or single
/// parroquias for a cantón large enough to be split.
struct DistritoGroup: Sendable {
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
            let host = territory.mostPopulous(
                of: Set(members.flatMap { graph[$0] }).filter { !inside.contains($0) && !units[$0].isUndelimited })
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
        // Distritos per group: the divisible cities at their own target; every other group the
        // count that balances best within the distance bounds (``DistritoCounts``), at the
        // distrito target or, with a fixed national total, at the total's implied average.
        let population = groups.map { g in Double(g.members.reduce(0) { $0 + units[$1].population }) }
        let maxParts = groups.map { $0.nodes.count }
        let cityTarget = Double(rules.cityDistritoTarget ?? rules.distritoTarget)
        let cities = groups.indices.filter { groups[$0].city && rules.cityDistritoTarget != nil }
        let others = groups.indices.filter { !cities.contains($0) }
        // The cities' counts by ``DistritoCounts/cityCount``; the others' are chosen below.
        var counts = population.indices.map { k in
            cities.contains(k)
                ? DistritoCounts.cityCount(population: population[k], target: cityTarget, maxParts: maxParts[k])
                : max(1, min(maxParts[k], Int((population[k] / cityTarget).rounded())))
        }
        var distritoObjective = options.objective
        distritoObjective.shape = options.distritoShape
        distritoObjective.meanDistanceBound = options.distritoMeanDistanceKm.map { $0 * 1000 }
        distritoObjective.maxDistanceBound = options.distritoMaxDistanceKm.map { $0 * 1000 }
        let citySeats = cities.reduce(0) { $0 + counts[$1] }
        let othersPopulation = others.reduce(0.0) { $0 + population[$1] }
        /// The target the other groups' counts are judged at.
        let countTarget: Double
        if let total = options.distritos {
            guard total >= citySeats + (others.isEmpty ? 0 : 1), othersPopulation > 0 || others.isEmpty else {
                throw PlanningError(
                    "\(total) distritos cannot hold the \(citySeats) of the divisible cities and one for each other group (\(others.count))"
                )
            }
            countTarget = others.isEmpty ? Double(rules.distritoTarget) : othersPopulation / Double(total - citySeats)
        } else {
            countTarget = Double(rules.distritoTarget)
        }
        let groupSeeds = groups.map { g in
            SubproblemSeed.of(g.members.map { units[$0].id }, level: SubproblemSeed.distritos, seed: options.seed)
        }
        let solveDistritos: @Sendable (_ k: Int, _ parts: Int) throws -> PartitionSolution = {
            [groups, distritoObjective] k, parts in
            // The rule's target (the cities' own), or the group's even share when national totals
            // are fixed (the same partitions as at the implied average: only the balance weight
            // relative to the other terms differs).
            let target =
                groups[k].city && rules.cityDistritoTarget != nil
                ? cityTarget : options.distritos == nil ? Double(rules.distritoTarget) : population[k] / Double(parts)
            // No shape term inside the divisible cities: their distritos are unions of urban
            // parroquias and pieces with ragged outlines, and the term there traded balance for
            // outline (national 140 plan, weight 0.01: the cities' distritos' mean deviation
            // 18 % → 30 %, one Guayaquil distrito of 454,000 at a 273,000 average; 34 % still
            // with the pieces' borders straightened).
            var objective = distritoObjective
            if groups[k].city && rules.cityDistritoTarget != nil { objective.shape = 0 }
            return try solveGroup(
                groups[k].nodes, parts: parts, target: target, territory: territory, graph: graph,
                objective: objective, options: options, metric: metric, seed: groupSeeds[k])
        }
        /// Population ÷ the count target: the count each group's notes are measured against.
        let bases = population.indices.map { k in max(1, min(maxParts[k], Int((population[k] / countTarget).rounded())))
        }
        var solutions = [PartitionSolution?](repeating: nil, count: groups.count)
        // Every count of each group's window, solved and scored (a count with no contiguous
        // split is not a choice).
        var tried = [[Int: PartitionSolution]](repeating: [:], count: groups.count)
        var criteria = [[Int: DistritoCounts.Score]](repeating: [:], count: groups.count)
        let countChoices: @Sendable (_ k: Int) -> Result<CountChoices, PlanningError> = {
            [groups, distritoObjective] k in
            var tried: [Int: PartitionSolution] = [:]
            var criteria: [Int: DistritoCounts.Score] = [:]
            let window = DistritoCounts.window(
                population: population[k], target: countTarget, maxParts: maxParts[k],
                extra: options.extraDistritos, minimumShare: options.distritoMinimumShare)
            for parts in window {
                guard let solution = try? solveDistritos(k, parts) else { continue }
                tried[parts] = solution
                criteria[parts] = DistritoCounts.criterion(
                    solution, nodes: groups[k].nodes, territory: territory, target: countTarget,
                    objective: distritoObjective, metric: metric)
            }
            // The mean-distance bound before the minimum share (``DistritoCounts``): more
            // distritos, for the first count that keeps every one within it.
            let base = bases[k]
            if !criteria.isEmpty, criteria.values.allSatisfy(\.meanBreach) {
                let limit = min(maxParts[k], base + options.extraDistritos)
                for parts in stride(from: window.upperBound + 1, through: limit, by: 1) {
                    guard let solution = try? solveDistritos(k, parts) else { continue }
                    let score = DistritoCounts.criterion(
                        solution, nodes: groups[k].nodes, territory: territory, target: countTarget,
                        objective: distritoObjective, metric: metric)
                    guard !score.meanBreach else { continue }
                    tried[parts] = solution
                    criteria[parts] = score
                    break
                }
            }
            guard !criteria.isEmpty else {
                return .failure(
                    PlanningError(
                        "\(groups[k].label) has no contiguous split into \(window.lowerBound)–\(window.upperBound) distritos (islands without links?)",
                        units: groups[k].members.map { units[$0].id }))
            }
            return .success(CountChoices(tried: tried, criteria: criteria))
        }
        let progress = options.progress
        progress?("distrito counts", 0, others.count)
        let choices = options.runner.map(
            others.count, finished: { [others] in progress?("distrito counts", $0, others.count) }
        ) { countChoices(others[$0]) }
        for (n, k) in others.enumerated() {
            let choice = try choices[n].get()
            tried[k] = choice.tried
            criteria[k] = choice.criteria
        }
        let chosen: [Int]
        if let total = options.distritos {
            guard
                let allocation = DistritoCounts.allocate(
                    others.map { criteria[$0].mapValues(\.total) }, total: total - citySeats)
            else {
                let reachable =
                    others.map { criteria[$0].keys.min() ?? 1 }.reduce(
                        0, +)...others.map {
                        criteria[$0].keys.max() ?? 1
                    }.reduce(0, +)
                throw PlanningError(
                    "\(total) distritos asked for: with the \(citySeats) of the divisible cities, the other groups can take \(reachable.lowerBound)–\(reachable.upperBound) (whole cantones, contiguous)"
                )
            }
            chosen = allocation
        } else {
            chosen = others.map { k in
                criteria[k].min { ($0.value.total, $0.key) < ($1.value.total, $1.key) }?.key ?? counts[k]
            }
        }
        for (n, k) in others.enumerated() {
            let base = bases[k]
            counts[k] = chosen[n]
            solutions[k] = tried[k][chosen[n]]
            if let score = criteria[k][chosen[n]], score.bounds > 0, score.bounds - score.exemptBounds <= 1e-12 {
                notes.append(
                    "\(groups[k].label): "
                        + (chosen[n] == 1 ? "its distrito" : "some of its \(chosen[n]) distritos")
                        + " of several cantones \(chosen[n] == 1 ? "reaches" : "reach") past the farthest-distance bound only as far as one of \(chosen[n] == 1 ? "its" : "their") cantones alone does: the bound's exception (a single cantón alone exceeds it)"
                )
            } else if let score = criteria[k][chosen[n]], score.bounds > 0 {
                let most = criteria[k].keys.max() ?? chosen[n]
                let better = criteria[k].values.contains { $0.bounds < score.bounds - 1e-12 }
                let floor = Int((options.distritoMinimumShare * countTarget).rounded())
                let reason =
                    options.distritos != nil && better
                    ? "the fixed total of \(options.distritos ?? 0) leaves no more seats for it"
                    : population[k] / Double(chosen[n]) < Double(floor) && !score.meanBreach
                        ? "they meet the mean-distance bound, for which they are already under the minimum share of the target (\(floor) people); more, for the farthest-distance bound, would go further under it"
                        : most < min(maxParts[k], base + options.extraDistritos)
                            ? "more distritos would average under \(floor) people (the minimum share of the target)"
                            : "no count up to \(most) keeps them within"
                notes.append(
                    "\(groups[k].label): "
                        + (chosen[n] == 1 ? "its distrito" : "some of its \(chosen[n]) distritos")
                        + " of several cantones \(chosen[n] == 1 ? "breaks" : "break") the distance bounds: \(reason)")
            }
            if chosen[n] != base {
                // Why, from the two counts' own scores (a fixed total may also move seats).
                let at = criteria[k][chosen[n]], atBase = criteria[k][base]
                let why: String
                let floor = options.distritoMinimumShare * countTarget
                if let at, let atBase, at.bounds < atBase.bounds - 1e-12 {
                    why =
                        "to keep them within the distance bounds"
                        + (population[k] / Double(chosen[n]) < floor
                            ? " (\(Int((population[k] / Double(chosen[n])).rounded())) people on average, under the minimum share of the target, \(Int(floor.rounded())): the mean-distance bound comes first)"
                            : "")
                } else if let at, let atBase, at.balance < atBase.balance - 1e-12 {
                    why =
                        chosen[n] < base
                        ? "whole cantones far from the target balance better in fewer" : "better balanced"
                } else {
                    why =
                        chosen[n] > base
                        ? "the fixed total's extra seats cost the least balance here"
                        : "the fixed total's seats do more for balance or distance elsewhere"
                }
                notes.append(
                    "\(groups[k].label): \(chosen[n]) distrito\(chosen[n] == 1 ? "" : "s") instead of \(base) (population ÷ \(Int(countTarget.rounded()))): \(why)"
                )
            }
        }
        // The groups whose counts were not solved above (the cities), at once where the runner
        // allows; the plan then in group order.
        let pending = groups.indices.filter { solutions[$0] == nil }
        let solved = groups.count - pending.count
        progress?("distrito subproblems", 0, groups.count)
        progress?("distrito subproblems", solved, groups.count)
        let pendingSolutions = options.runner.map(
            pending.count, finished: { [groups] in progress?("distrito subproblems", solved + $0, groups.count) }
        ) { [pending, counts] n in Result { try solveDistritos(pending[n], counts[pending[n]]) } }
        for (n, k) in pending.enumerated() { solutions[k] = try pendingSolutions[n].get() }
        var distritoMembers: [(code: String, members: [Int])] = []
        var perProvince: [String: Int] = [:]
        for (k, g) in groups.enumerated() {
            guard let solution = solutions[k] else { throw PlanningError("\(g.label): no distrito solution") }
            records.append(
                SubproblemRecord(
                    level: "distritos", scope: g.label, units: g.nodes.count, parts: counts[k],
                    optimal: solution.optimal, cost: solution.cost, lowerBound: solution.lowerBound, gap: solution.gap,
                    method: solution.method))
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
    /// circuito target circuitos (or a fixed national total apportioned by population), or the
    /// best balanced count next to it (`counts`), each a contiguous partition solved by
    /// ``Partitioner``. `weights` is each unit's population for
    /// this purpose (default: its census figure; a unit shared by k distritos, as the official
    /// plan shares a cabecera, is given 1/k of it in each). A distrito whose units have no
    /// contiguous split (an exclave without a link) gets one circuito per connected part. Codes
    /// are the distrito's followed by C01, C02… in order of each circuito's smallest unit code.
    /// Used by ``propose(_:rules:options:metric:)`` and to derive circuitos for a plan without
    /// them (the services' circuito norms).
    public static func circuitos(
        inside distritoMembers: [(code: String, members: [Int])], territory: Territory, rules: PlanningRules,
        options: ProposalOptions, metric: some DistanceMetric, weights: [Double]? = nil,
        counts: CircuitoCounts = .chosenByBalance
    ) throws -> (assignments: [String: Plan.Assignment], records: [SubproblemRecord], notes: [String]) {
        let units = territory.units
        let graph = territory.connections
        let weight = weights ?? units.map { Double($0.population) }
        var circuitoObjective = options.objective
        circuitoObjective.shape = options.circuitoShape
        circuitoObjective.lopsidedPenalty = options.circuitoLopsidedPenalty
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
        // Each distrito's count and its neighbours (one fewer, one more) are solved and scored
        // at one target (the circuito target, or a fixed total's national average): first the
        // circuitos of several units beyond ±50 % of it, then Σ |P − T| / T; the best count per
        // distrito wins, or with a fixed total the best counts adding up to it
        // (``DistritoCounts/allocate(_:total:)``).
        let countTarget =
            options.circuitos.map { distritoPopulation.reduce(0, +) / Double(max(1, $0)) }
            ?? Double(rules.circuitoTarget)
        let baseCounts = circuitoCounts
        let objective = circuitoObjective
        /// Distrito k's counts, each solved and scored; or, for a given distrito with no
        /// contiguous split, one circuito per connected part.
        let countChoices: @Sendable (_ k: Int) -> Result<CircuitoChoices, any Error> = { k in
            let d = distritoMembers[k]
            var choices = CircuitoChoices()
            let seed = SubproblemSeed.of(
                d.members.map { units[$0].id }, level: SubproblemSeed.circuitos, seed: options.seed)
            func solveCircuitos(_ count: Int) throws -> PartitionSolution {
                let target =
                    options.circuitos == nil ? Double(rules.circuitoTarget) : distritoPopulation[k] / Double(count)
                return try solveGroup(
                    d.members.map { [$0] }, parts: count, target: target, territory: territory, graph: graph,
                    objective: objective, options: options, metric: metric, seed: seed, weights: weight)
            }
            /// Circuitos of several units beyond ±50 % of the target first (10⁶ each), then
            /// Σ |P − T| / T.
            func score(_ solution: PartitionSolution) -> Double {
                var people: [Int: Double] = [:]
                var size: [Int: Int] = [:]
                for (n, part) in solution.assignment.enumerated() {
                    people[part, default: 0] += weight[d.members[n]]
                    size[part, default: 0] += 1
                }
                return people.keys.sorted().reduce(0.0) { sum, part in
                    let deviation = abs((people[part] ?? 0) - countTarget) / countTarget
                    return sum + deviation + ((size[part] ?? 0) > 1 && deviation > 0.5 ? 1e6 : 0)
                }
            }
            let base = baseCounts[k]
            do {
                let solution = try solveCircuitos(base)
                choices.tried[base] = solution
                choices.scores[base] = score(solution)
            } catch let error as PlanningError where weights != nil {
                // A given distrito may be in several parts: one circuito per part.
                let parts = territory.components(of: d.members)
                choices.notes.append(
                    "\(d.code) has no contiguous split into \(base) circuitos (\(error.message)): one circuito per connected part (\(parts.count))"
                )
                var part = [Int](repeating: 0, count: d.members.count)
                let position = Dictionary(d.members.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
                for (p, members) in parts.enumerated() { for i in members { part[position[i] ?? 0] = p } }
                choices.fallback = PartitionSolution(
                    assignment: part, cost: .nan, optimal: false, lowerBound: .nan,
                    method: "one circuito per connected part")
                return .success(choices)
            } catch {
                return .failure(error)
            }
            switch counts {
            case .chosenByBalance:
                for other in [base - 1, base + 1] where other >= 1 && other <= d.members.count {
                    // With no fixed total the best score wins outright, so a count whose least
                    // possible score cannot beat the count's own is not solved: the same choice,
                    // without proving partitions no one takes (national default plan: 106 of
                    // 223 alternatives, 17.7 of their 21.9 s).
                    if options.circuitos == nil, let own = choices.scores[base],
                        leastBalanceScore(population: distritoPopulation[k], parts: other, target: countTarget)
                            > own + 1e-9
                    {
                        continue
                    }
                    // An alternative count with no contiguous split is simply not taken.
                    guard let candidate = try? solveCircuitos(other) else { continue }
                    choices.tried[other] = candidate
                    choices.scores[other] = score(candidate)
                }
                // Where each of those leaves a circuito of several units beyond ±50 %, up to
                // three more circuitos, for the first count that leaves none (a parroquia alone
                // may lie that far: the rule's exception): islands joined by links can leave
                // no other way to pair a parroquia. Not for a distrito itself under half the
                // target, whose circuitos could only be its parroquias one by one: it keeps its
                // count, and the report names it (``PlanQuality``).
                var more = base + 2
                while distritoPopulation[k] >= 0.5 * countTarget, !choices.scores.isEmpty,
                    choices.scores.values.allSatisfy({ $0 >= 1e6 }), more <= min(d.members.count, base + 3)
                {
                    if let candidate = try? solveCircuitos(more) {
                        choices.tried[more] = candidate
                        choices.scores[more] = score(candidate)
                    }
                    more += 1
                }
            case .populationOverTarget:
                // One fewer or more only where rounding leaves a circuito of several units beyond
                // ±50 % of the target, and only if the partition's own cost is lower.
                guard options.circuitos == nil, var best = choices.tried[base],
                    lopsided(best, members: d.members, target: countTarget, weights: weight)
                else { return .success(choices) }
                var count = base
                for other in [base - 1, base + 1] where other >= 1 && other <= d.members.count {
                    guard let candidate = try? solveCircuitos(other), candidate.cost < best.cost - 1e-9 else {
                        continue
                    }
                    best = candidate
                    count = other
                }
                choices.tried = [count: best]
                choices.scores = [count: 0]
            }
            return .success(choices)
        }
        let progress = options.progress
        progress?("circuito subproblems", 0, distritoMembers.count)
        let choices = options.runner.map(
            distritoMembers.count, finished: { progress?("circuito subproblems", $0, distritoMembers.count) },
            countChoices)
        var tried = [[Int: PartitionSolution]](repeating: [:], count: distritoMembers.count)
        var scores = [[Int: Double]](repeating: [:], count: distritoMembers.count)
        var fallback = [PartitionSolution?](repeating: nil, count: distritoMembers.count)
        for k in distritoMembers.indices {
            let choice = try choices[k].get()
            tried[k] = choice.tried
            scores[k] = choice.scores
            fallback[k] = choice.fallback
            notes += choice.notes
        }
        if let total = options.circuitos {
            let open = distritoMembers.indices.filter { fallback[$0] == nil }
            // A distrito in several parts takes one circuito per part, whatever its share.
            let fixed = fallback.reduce(0) { $0 + ($1.map { Set($0.assignment).count } ?? 0) }
            if let chosen = DistritoCounts.allocate(open.map { scores[$0] }, total: total - fixed) {
                for (n, k) in open.enumerated() { circuitoCounts[k] = chosen[n] }
            }
        } else {
            for k in distritoMembers.indices where fallback[k] == nil {
                let base = circuitoCounts[k]
                circuitoCounts[k] =
                    scores[k].min { ($0.value, abs($0.key - base), $0.key) < ($1.value, abs($1.key - base), $1.key) }?
                    .key ?? base
            }
        }
        for (k, d) in distritoMembers.enumerated() {
            if let parts = fallback[k] { circuitoCounts[k] = Set(parts.assignment).count }
            guard let solution = fallback[k] ?? tried[k][circuitoCounts[k]] else {
                throw PlanningError("\(d.code): no circuito solution at the chosen count (\(circuitoCounts[k]))")
            }
            records.append(
                SubproblemRecord(
                    level: "circuitos", scope: d.code, units: d.members.count, parts: circuitoCounts[k],
                    optimal: solution.optimal, cost: solution.cost, lowerBound: solution.lowerBound, gap: solution.gap,
                    method: solution.method))
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

    /// One distrito's circuito counts, each solved and scored, or its fallback of one circuito
    /// per connected part, and what its notes say.
    struct CircuitoChoices: Sendable {
        var tried: [Int: PartitionSolution] = [:]
        var scores: [Int: Double] = [:]
        var fallback: PartitionSolution?
        var notes: [String] = []
    }

    /// How many circuitos a distrito gets.
    public enum CircuitoCounts: Sendable {
        /// Its count (population ÷ target, or its share of a fixed total) and one fewer or one
        /// more, the best balanced chosen (a proposal).
        case chosenByBalance
        /// Population ÷ target, one fewer or more only to mend a lopsided circuito: circuitos
        /// derived inside a given plan's distritos for the services' norms, whose required
        /// counts then follow the target alone.
        case populationOverTarget
    }

    /// The least Σ |P_j − T| / T of any split of `population` people into `parts` parts: the
    /// deviations add up to P − kT, so by the triangle inequality their absolute values add up
    /// to at least |P − kT| (equal when all lie on one side of the target). A lower bound on
    /// the circuito counts' score, whose penalties only add to it. O(1).
    static func leastBalanceScore(population: Double, parts: Int, target: Double) -> Double {
        guard target > 0 else { return 0 }
        return abs(population - Double(parts) * target) / target
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
        // A node is located at its most populous unit, and the part's seat is the node holding
        // the part's most populous unit (ranked as ``Territory/mostPopulous(of:)`` ranks them).
        let heads = nodes.map { territory.mostPopulous(of: $0) ?? $0[0] }
        let locations = heads.map { units[$0].location }
        let sortedNeighbours = neighbours.map { $0.sorted() }
        var problem = PartitionProblem(
            populations: populations, locations: locations, neighbours: sortedNeighbours, parts: parts,
            target: max(target, 1), objective: objective,
            shapes: objective.shape > 0
                ? nodeShapes(nodes, nodeOf: nodeOf, neighbours: sortedNeighbours, territory) : nil)
        // Nodes of single units are their own heads: the most populous node is the seat.
        if nodes.contains(where: { $0.count > 1 }) {
            let headOrder = heads.indices.sorted { a, b in
                let (x, y) = (units[heads[a]], units[heads[b]])
                return (x.population, y.id) < (y.population, x.id)
            }
            var seatRank = [Double](repeating: 0, count: nodes.count)
            for (rank, n) in headOrder.enumerated() { seatRank[n] = Double(rank) }
            problem.seatRank = seatRank
            if objective.hasBounds {
                problem.memberDistances = memberDistances(
                    nodes, at: locations, weight: weight, territory, metric: metric)
            }
        }
        guard
            let solution = Partitioner.solve(
                problem, metric: metric, seed: seed, restarts: options.restarts, solver: options.exactSolver,
                limits: options.setPartitioningLimits, proveBipartitions: options.proveBipartitions)
        else {
            let names = nodes.flatMap { $0.map { units[$0].id } }
            throw PlanningError("no contiguous split into \(parts) parts exists (islands without links?)", units: names)
        }
        return solution
    }

    /// From the people of each node's units to every node's location: the weighted sum of
    /// distances and the farthest unit with people (``PartitionProblem/MemberDistances``).
    /// O(units × nodes) distances.
    static func memberDistances(
        _ nodes: [[Int]], at locations: [GeoPoint], weight: [Double], _ territory: Territory,
        metric: some DistanceMetric
    ) -> PartitionProblem.MemberDistances {
        let n = nodes.count
        var weighted = [Double](repeating: 0, count: n * n)
        var farthest = [Double](repeating: 0, count: n * n)
        for (m, members) in nodes.enumerated() {
            for u in members where weight[u] > 0 {
                for s in 0..<n {
                    let metres = metric.metres(territory.units[u].location, locations[s])
                    weighted[m * n + s] += weight[u] * metres
                    farthest[m * n + s] = max(farthest[m * n + s], metres)
                }
            }
        }
        return PartitionProblem.MemberDistances(weighted: weighted, farthest: farthest)
    }

    /// Areas, perimeters and shared borders of merged nodes, from the units' own (a node's
    /// perimeter is its members' less twice the borders between them); nil when a unit's
    /// geometry is unknown. O(Σ degree).
    static func nodeShapes(_ nodes: [[Int]], nodeOf: [Int: Int], neighbours: [[Int]], _ territory: Territory)
        -> PartitionProblem.Shapes?
    {
        let units = territory.units
        guard nodes.allSatisfy({ $0.allSatisfy { units[$0].area > 0 && units[$0].perimeter > 0 } }) else { return nil }
        var areas = [Double](repeating: 0, count: nodes.count)
        var perimeters = [Double](repeating: 0, count: nodes.count)
        var shared = [[Int: Double]](repeating: [:], count: nodes.count)
        for (n, members) in nodes.enumerated() {
            for i in members {
                areas[n] += units[i].area
                perimeters[n] += units[i].perimeter
                for (k, j) in territory.neighbours[i].enumerated() {
                    guard let m = nodeOf[j], k < territory.borders[i].count else { continue }
                    if m == n {
                        perimeters[n] -= territory.borders[i][k]
                    } else {
                        shared[n][m, default: 0] += territory.borders[i][k]
                    }
                }
            }
        }
        return PartitionProblem.Shapes(
            areas: areas, perimeters: perimeters,
            borders: neighbours.enumerated().map { n, list in list.map { shared[n][$0] ?? 0 } })
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

/// Weights of the districting objective (all costs are summed over the parts).
public struct PartitionObjective: Sendable {
    /// × ((P − T) / T)²: population balance.
    public var balance: Double
    /// × (population-weighted mean squared distance to the seat) / scale²: compactness as the
    /// population moment of inertia around the seat (Hess et al. 1965).
    public var compactness: Double
    /// × (population-weighted mean distance to the seat) / scale: access to the seat.
    public var access: Double
    /// × (P² / (4π A) − 1): shape, the inverse Polsby–Popper score (Polsby & Popper 1991) of
    /// the part's dissolved polygon less one (0 for a disc), from the members' areas and
    /// perimeters less twice the borders they share (``PartitionProblem/shapes``). Unlike the
    /// moment of inertia it sees the borders themselves: two cantones that share a long border
    /// make a rounder distrito than two that touch at a corner. Needs the units' geometry;
    /// without it the term is 0.
    public var shape: Double
    /// Distance scale, metres.
    public var scale: Double
    /// Extent and accessibility bounds, metres (nil: none): a part of several nodes whose
    /// population-weighted mean distance to its seat exceeds `meanDistanceBound`, or with a
    /// unit farther than `maxDistanceBound` (and farther than any of its nodes reaches alone),
    /// pays `boundPenalty` × (excess / scale)² for each, so balance is traded against the
    /// bounds explicitly (1 km past a bound costs 0.008 at the defaults; the distrito counts
    /// then put the bounds first). Measured from the units' people with
    /// ``PartitionProblem/memberDistances``.
    public var meanDistanceBound: Double?
    public var maxDistanceBound: Double?
    public var boundPenalty: Double
    /// Paid once by a part of several units more than half its target away from it (the
    /// circuitos' rule: none beyond ±50 % unless a single parroquia): 0 leaves the rule to
    /// the choice of counts; a positive value makes the partition itself keep small units
    /// alone rather than join them to a lump, where contiguity allows.
    public var lopsidedPenalty: Double = 0

    public init(
        balance: Double = 1, compactness: Double = 0.05, access: Double = 0.05, shape: Double = 0,
        scale: Double = 50_000, meanDistanceBound: Double? = nil, maxDistanceBound: Double? = nil,
        boundPenalty: Double = 20
    ) {
        self.balance = balance
        self.compactness = compactness
        self.access = access
        self.shape = shape
        self.scale = scale
        self.meanDistanceBound = meanDistanceBound
        self.maxDistanceBound = maxDistanceBound
        self.boundPenalty = boundPenalty
    }

    /// The penalty of a part with this mean and maximum distance to its seat (metres).
    func boundCost(mean: Double, max: Double) -> Double {
        var cost = 0.0
        if let bound = meanDistanceBound, mean > bound {
            cost += boundPenalty * ((mean - bound) / scale) * ((mean - bound) / scale)
        }
        if let bound = maxDistanceBound, max > bound {
            cost += boundPenalty * ((max - bound) / scale) * ((max - bound) / scale)
        }
        return cost
    }

    var hasBounds: Bool { meanDistanceBound != nil || maxDistanceBound != nil }
}

/// Splitting a small connected graph of units into k contiguous parts.
public struct PartitionProblem: Sendable {
    public var populations: [Double]
    public var locations: [GeoPoint]
    /// Neighbour lists over 0..<n (contiguity and links).
    public var neighbours: [[Int]]
    public var parts: Int
    public var target: Double
    public var objective: PartitionObjective
    /// The nodes' areas (m²), perimeters (m) and the length of the border each shares with
    /// each neighbour (parallel to `neighbours`), for the shape term; nil: unknown.
    public var shapes: Shapes?
    /// For nodes made of several units (cantones of parroquias): the distance bounds measured
    /// from the units' people, as the validator measures a plan, not from the nodes' locations
    /// (a cantón's seat can lie within 120 km of a distrito's while its farthest parroquia
    /// does not); nil: from the nodes' locations.
    public var memberDistances: MemberDistances?
    /// Which member is a part's seat: the one of highest rank (ties: the lower index). For
    /// nodes of several units (cantones of parroquias), the rank of each node's most populous
    /// unit among all the units, so that a part's seat is the node holding its most populous
    /// unit, as the validator and the report choose it; nil: the most populous node.
    public var seatRank: [Double]?

    /// The seat of a part (``seatRank``); nil for no members. O(members).
    func seat(of members: [Int]) -> Int? {
        let rank = seatRank.flatMap { $0.count == count ? $0 : nil } ?? populations
        return members.max { (rank[$0], -$0) < (rank[$1], -$1) }
    }

    /// Row-major n × n tables over the nodes: from the people of node m to the location of
    /// node s, `weighted[m · n + s]` = Σ population × distance and `farthest[m · n + s]` = the
    /// farthest unit with people (metres). `farthest[m · n + m]` is node m's own extent.
    public struct MemberDistances: Sendable {
        public var weighted: [Double]
        public var farthest: [Double]
        public init(weighted: [Double], farthest: [Double]) {
            self.weighted = weighted
            self.farthest = farthest
        }
    }

    public struct Shapes: Sendable {
        public var areas: [Double]
        public var perimeters: [Double]
        public var borders: [[Double]]
        public init(areas: [Double], perimeters: [Double], borders: [[Double]]) {
            self.areas = areas
            self.perimeters = perimeters
            self.borders = borders
        }
    }

    public init(
        populations: [Double], locations: [GeoPoint], neighbours: [[Int]], parts: Int, target: Double,
        objective: PartitionObjective = .init(), shapes: Shapes? = nil
    ) {
        self.populations = populations
        self.locations = locations
        self.neighbours = neighbours
        self.parts = parts
        self.target = target
        self.objective = objective
        self.shapes = shapes
    }

    /// A lower bound on the shape terms of every partition into `parts` parts: the parts'
    /// perimeters P_j add up to at least the outline L of all the units (their perimeters less
    /// the borders they share), their areas to the whole area A, and by Cauchy–Schwarz
    /// Σ P_j² / A_j ≥ (Σ P_j)² / Σ A_j, so Σ (P_j² / (4π A_j) − 1) ≥ L² / (4π A) − k: a
    /// ragged outline (a coast of estuaries and mangrove islands) costs its parts at least its
    /// own raggedness. 0 without shape data or weight. O(Σ degree).
    public var shapeBound: Double {
        guard objective.shape > 0, let shapes, shapes.areas.count == count, shapes.perimeters.count == count
        else { return 0 }
        let area = shapes.areas.reduce(0, +)
        var outline = shapes.perimeters.reduce(0, +)
        for m in 0..<count {
            for j in neighbours[m].indices where j < shapes.borders[m].count { outline -= shapes.borders[m][j] }
        }
        guard area > 0, outline > 0 else { return 0 }
        return objective.shape * max(0, outline * outline / (4 * Double.pi * area) - Double(parts))
    }

    /// P² / (4π A) − 1 of the union of `members`: 0 without shape data or area. O(Σ degree).
    func inversePolsbyPopperExcess(_ members: [Int]) -> Double {
        guard let shapes, shapes.areas.count == count else { return 0 }
        var area = 0.0, perimeter = 0.0
        var inside = [Bool](repeating: false, count: count)
        for m in members { inside[m] = true }
        for m in members {
            area += shapes.areas[m]
            perimeter += shapes.perimeters[m]
            for (j, n) in neighbours[m].enumerated() where inside[n] && j < shapes.borders[m].count {
                perimeter -= shapes.borders[m][j]  // once from each side: twice in all
            }
        }
        guard area > 0, perimeter > 0 else { return 0 }
        return max(0, perimeter * perimeter / (4 * Double.pi * area) - 1)
    }

    public var count: Int { populations.count }

    /// A lower bound on the objective from the lumpiness of the units (a majorization bound).
    /// Sorted part populations Q₁ ≥ … ≥ Q_k have prefix sums at least those of the largest
    /// units (the i largest units lie in at most i parts, whose total is at most that of the i
    /// largest parts) and sum to the total; the slopes of the least concave majorant of those
    /// prefix sums are the most equal such vector, and by Karamata's inequality no feasible
    /// vector has a smaller sum of the convex ((Q − T)/T)². The other terms are ≥ 0. With
    /// units small against the target it is the equal-parts bound.
    ///
    /// Parts are contiguous, so where the graph falls apart (an exclave without a link, such as
    /// Tenguel in Guayaquil) each connected component holds whole parts, at least one: the
    /// bound is then the least, over the ways of sharing the k parts among the components, of
    /// their own majorization bounds (a knapsack by dynamic programming). On one component it
    /// is the bound above. O(n log n + components × k²).
    public var lowerBound: Double {
        guard parts >= 1 else { return 0 }
        let groups = Territory.components(of: Array(0..<count), graph: neighbours)
        guard groups.count > 1 else {
            return objective.balance
                * Self.majorizationBound(
                    largestFirst: populations.sorted(by: >), total: populations.reduce(0, +), parts: parts,
                    target: target)
        }
        guard groups.count <= parts else { return .infinity }  // no contiguous partition exists
        // best[j]: least bound of the components seen so far holding j parts.
        var best = [Double](repeating: .infinity, count: parts + 1)
        best[0] = 0
        for group in groups {
            let people = group.map { populations[$0] }.sorted(by: >)
            let total = people.reduce(0, +)
            var next = [Double](repeating: .infinity, count: parts + 1)
            for have in 0..<parts where best[have].isFinite {
                for take in 1...min(group.count, parts - have) {
                    let b = Self.majorizationBound(largestFirst: people, total: total, parts: take, target: target)
                    next[have + take] = min(next[have + take], best[have] + b)
                }
            }
            best = next
        }
        return objective.balance * best[parts]
    }

    /// Σ ((Q − T)/T)² at its least over k parts holding units of these populations (largest
    /// first) and `total` people in all: the bound of ``lowerBound`` without the weight.
    static func majorizationBound(largestFirst largest: [Double], total: Double, parts: Int, target: Double)
        -> Double
    {
        guard parts >= 1 else { return total > 0 ? .infinity : 0 }
        // Points (i, S_i): S_i the i largest units for i < k, S_k the total.
        var points: [(Double, Double)] = [(0, 0)]
        var sum = 0.0
        for i in 1..<parts {
            sum += i - 1 < largest.count ? largest[i - 1] : 0
            points.append((Double(i), sum))
        }
        points.append((Double(parts), total))
        // Upper hull (Andrew's monotone chain), left to right.
        var hull: [(Double, Double)] = []
        for p in points {
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                // Drop b when it lies on or below the segment a → p.
                if (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0) >= 0 { hull.removeLast() } else { break }
            }
            hull.append(p)
        }
        var bound = 0.0
        for (a, b) in zip(hull, hull.dropFirst()) {
            let width = b.0 - a.0
            let dev = (b.1 - a.1) / width / target - 1
            bound += width * dev * dev
        }
        return bound
    }
}

/// A solution: a part index per unit, its cost, and how good it is known to be.
public struct PartitionSolution: Sendable {
    public var assignment: [Int]
    public var cost: Double
    /// True when enumeration proved it optimal.
    public var optimal: Bool
    public var lowerBound: Double
    /// (cost − bound) / cost; 0 when optimal.
    public var gap: Double { optimal || cost <= 0 ? 0 : max(0, (cost - lowerBound) / cost) }
    /// How it was found and bounded, as subproblems.csv states it.
    public var method: String

    public init(assignment: [Int], cost: Double, optimal: Bool, lowerBound: Double, method: String) {
        self.assignment = assignment
        self.cost = cost
        self.optimal = optimal
        self.lowerBound = lowerBound
        self.method = method
    }
}

/// Solves partition problems: exactly by enumerating every assignment into k parts
/// (restricted growth strings, Stirling-number many) when there are at most `exactLimit` (default
/// 2,000,000, or 20,000 with a solver)
/// candidates, else by seeded multi-start region growing followed by a local search that moves
/// boundary units between neighbouring parts while both stay contiguous (tabu-free descent
/// with restarts), reporting the balance lower bound and the gap; then, given an LP/MIP solver,
/// by set partitioning over the parts that could beat the heuristic's (``SetPartitioning``),
/// which proves it optimal or bounds it where those parts are few.
public enum Partitioner {
    /// Cost of one part.
    static func partCost(_ members: [Int], _ p: PartitionProblem, d: DistanceTable) -> Double {
        let total = members.reduce(0.0) { $0 + p.populations[$1] }
        let dev = (total - p.target) / p.target
        var cost = p.objective.balance * dev * dev
        if p.objective.shape > 0 { cost += p.objective.shape * p.inversePolsbyPopperExcess(members) }
        if p.objective.lopsidedPenalty > 0, members.count > 1, abs(dev) > 0.5 { cost += p.objective.lopsidedPenalty }
        guard total > 0, p.objective.compactness > 0 || p.objective.access > 0 || p.objective.hasBounds else {
            return cost
        }
        guard let seat = p.seat(of: members) else { return cost }
        var inertia = 0.0, access = 0.0, farthest = 0.0
        for m in members {
            let r = d[m, seat] / p.objective.scale
            inertia += p.populations[m] * r * r
            access += p.populations[m] * r
            farthest = max(farthest, d[m, seat])
        }
        cost += p.objective.compactness * inertia / total + p.objective.access * access / total
        // The bounds, as the distrito counts judge them: a part of one node is exempt, and so
        // is a farthest distance no greater than a member node reaches on its own.
        if p.objective.hasBounds, members.count > 1 {
            var mean = access / total * p.objective.scale
            if let md = p.memberDistances, md.weighted.count == p.count * p.count {
                let n = p.count
                var weighted = 0.0, own = 0.0
                farthest = 0
                for m in members {
                    weighted += md.weighted[m * n + seat]
                    farthest = max(farthest, md.farthest[m * n + seat])
                    own = max(own, md.farthest[m * n + m])
                }
                mean = weighted / total
                if farthest <= own + 1e-3 { farthest = 0 }
            }
            cost += p.objective.boundCost(mean: mean, max: farthest)
        }
        return cost
    }

    static func cost(_ assignment: [Int], _ p: PartitionProblem, d: DistanceTable) -> Double {
        var groups = [[Int]](repeating: [], count: p.parts)
        for (i, a) in assignment.enumerated() { groups[a].append(i) }
        return groups.reduce(0) { $0 + ($1.isEmpty ? .infinity : partCost($1, p, d: d)) }
    }

    /// Whether `members` is connected in the problem's graph.
    static func connected(_ members: [Int], _ p: PartitionProblem) -> Bool {
        guard let first = members.first else { return false }
        // 1: a member not yet reached, 2: reached (arrays, not sets: this runs for every move
        // the local search weighs).
        var state = [UInt8](repeating: 0, count: p.count)
        for m in members { state[m] = 1 }
        state[first] = 2
        var stack = [first]
        var reached = 1
        while let n = stack.popLast() {
            for m in p.neighbours[n] where state[m] == 1 {
                state[m] = 2
                reached += 1
                stack.append(m)
            }
        }
        return reached == members.count
    }

    /// Stirling number of the second kind, saturating.
    static func stirling(_ n: Int, _ k: Int) -> Double {
        guard k > 0, n >= k else { return n == 0 && k == 0 ? 1 : 0 }
        var row = [Double](repeating: 0, count: k + 1)
        row[0] = 1
        for i in 1...n {
            for j in stride(from: min(i, k), through: 1, by: -1) { row[j] = Double(j) * row[j] + row[j - 1] }
            row[0] = 0
        }
        return row[k]
    }

    public static func solve(
        _ p: PartitionProblem, metric: some DistanceMetric, seed: UInt64, restarts: Int = 24,
        exactLimit: Double? = nil, solver: (any LinearSolver)? = nil,
        limits: SetPartitioning.Limits = .init(), proveBipartitions: Bool = false
    ) -> PartitionSolution? {
        let n = p.count
        guard p.parts >= 1, n >= p.parts else { return nil }
        let d = DistanceTable(p, metric: metric)
        if p.parts == 1 {
            let all = Array(0..<n)
            guard connected(all, p) else { return nil }
            let cost = partCost(all, p, d: d)
            return PartitionSolution(
                assignment: [Int](repeating: 0, count: n), cost: cost, optimal: true, lowerBound: cost,
                method: "one part")
        }
        // Enumeration costs O(Stirling(n, k)); set partitioning solves the same subproblems in
        // a fraction of it (national 140 plan: 16 s instead of 52 s, the same plan), so with a
        // solver only the tiniest are enumerated.
        if stirling(n, p.parts) <= exactLimit ?? (solver == nil ? 2_000_000 : 20_000) { return exact(p, d: d) }
        guard let found = heuristic(p, d: d, seed: seed, restarts: restarts) else { return nil }
        let solved = solver.map { SetPartitioning.improve(found, p, d: d, solver: $0, limits: limits) } ?? found
        let settled = solved.optimal || !proveBipartitions ? solved : bipartition(solved, p, d: d)
        return settled.optimal ? settled : capacitatedBound(settled, p, d: d)
    }

    /// `solution`, for two parts on at most 64 units, settled by branch and bound over the
    /// contiguous bipartitions (``ExactBipartition``): proven optimal, or replaced by the
    /// optimum, when the search ends within ``ExactBipartition/nodeLimit`` nodes; else the
    /// better of the two, unproven. On request only (`proveBipartitions`): the national
    /// divisible cities of two distritos, which set partitioning leaves at gaps of 0.8–3.9 %
    /// (140 plan), are all three proven in 297 to 448,501 nodes (1.3 s), Ambato 0.21193 →
    /// 0.21171 and Cuenca 0.06104 → 0.05946, but the cities' objective is nearly balance alone
    /// and the optima are less round than the heuristic's splits (README, "The cities'
    /// objective").
    static func bipartition(
        _ solution: PartitionSolution, _ p: PartitionProblem, d: DistanceTable,
        nodeLimit: Int = ExactBipartition.nodeLimit
    ) -> PartitionSolution {
        guard p.parts == 2, let outcome = ExactBipartition.search(p, d: d, upper: solution.cost, nodeLimit: nodeLimit)
        else { return solution }
        var settled = solution
        if let better = outcome.assignment {
            settled.assignment = canonical(better)
            settled.cost = outcome.cost
        }
        if outcome.complete {
            settled.optimal = true
            settled.lowerBound = settled.cost
            settled.method =
                "region growing + local search; proven by branch and bound over the contiguous bipartitions (\(outcome.nodes) nodes)"
        } else if outcome.assignment != nil {
            // The bound found for the old cost holds for anything no worse than it.
            settled.lowerBound = min(settled.lowerBound, settled.cost)
            let improved =
                ", improved by branch and bound over the contiguous bipartitions (stopped at \(outcome.nodes) nodes)"
            if let bound = settled.method.range(of: "; bound:") {
                settled.method.insert(contentsOf: improved, at: bound.lowerBound)
            } else {
                settled.method += improved
            }
        }
        return settled
    }

    /// Enumerates every assignment into exactly k non-empty parts; keeps the best contiguous one.
    static func exact(_ p: PartitionProblem, d: DistanceTable) -> PartitionSolution? {
        let n = p.count, k = p.parts
        var assignment = [Int](repeating: 0, count: n)
        var best: ([Int], Double)? = nil
        func recurse(_ i: Int, _ used: Int) {
            if n - i < k - used { return }
            if i == n {
                guard used == k else { return }
                var groups = [[Int]](repeating: [], count: k)
                for (u, a) in assignment.enumerated() { groups[a].append(u) }
                guard groups.allSatisfy({ connected($0, p) }) else { return }
                let c = groups.reduce(0) { $0 + partCost($1, p, d: d) }
                if c < (best?.1 ?? .infinity) - 1e-12 { best = (assignment, c) }
                return
            }
            for a in 0..<min(used + 1, k) {
                assignment[i] = a
                recurse(i + 1, max(used, a + 1))
            }
        }
        recurse(0, 0)
        guard let best else { return nil }
        return PartitionSolution(
            assignment: canonical(best.0), cost: best.1, optimal: true, lowerBound: best.1, method: "enumeration")
    }

    /// Relabels parts in order of their smallest member, so equal partitions compare equal.
    static func canonical(_ a: [Int]) -> [Int] {
        var map: [Int: Int] = [:]
        return a.map { x in
            if let m = map[x] { return m }
            map[x] = map.count
            return map.count - 1
        }
    }

    /// How many of the best distinct restarts go on to ``recombine(_:_:d:rng:limit:treeLimit:patience:)``
    /// in a subproblem of more than 64 units, which set partitioning cannot prove (its columns
    /// are 64-bit masks): the cities' distritos. Nationally 8 of them took Quito's cost from
    /// 0.049587 to 0.048062 (140 plan) and from 0.053487 to 0.050901 (default targets), and
    /// Guayaquil's from 0.085582 to 0.083249 (default) — as much as 24 did; elsewhere one,
    /// whose result the proof then settles.
    static let recombinedStarts = 8

    /// Idle passes the recombination allows where no proof follows (more than 64 units),
    /// before it stops (``recombine(_:_:d:rng:limit:treeLimit:patience:)``); elsewhere one.
    /// Quito's and Guayaquil's subproblems at the default targets, province runs with seeds
    /// 1, 2, 3 and 2012: 7 of 8 lower, Quito 0.0500–0.0533 → 0.0497–0.0518, Guayaquil
    /// 0.0828–0.0842 → 0.0826–0.0829.
    static let recombinePatience = 3

    static func heuristic(
        _ p: PartitionProblem, d: DistanceTable, seed: UInt64, restarts: Int, recombined: Int = recombinedStarts
    ) -> PartitionSolution? {
        var rng = SeededRandom(seed: seed)
        var best: ([Int], Double)? = nil
        // Where set partitioning cannot follow (more than 64 units), the best few distinct
        // restarts each go on to a more patient recombination, not only the best one.
        let beyondProof = p.count > ConnectedSubsets.maxNodes
        let keep = beyondProof ? max(1, recombined) : 1
        var starts: [([Int], Double)] = []
        for restart in 0..<max(1, restarts) {
            guard var a = grow(p, d: d, rng: &rng, weighted: restart % 2 == 1) else { continue }
            improve(&a, p, d: d)
            let c = cost(a, p, d: d)
            let key = canonical(a)
            if c < (best?.1 ?? .infinity) - 1e-12 { best = (key, c) }
            if keep > 1, !starts.contains(where: { $0.0 == key }) { starts.append((key, c)) }
        }
        guard var best else { return nil }
        // The best first (as found), then the others by cost and assignment.
        let others = starts.filter { $0.0 != best.0 }.sorted {
            $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.lexicographicallyPrecedes($1.0)
        }
        for start in [best] + others.prefix(keep - 1) {
            var a = start.0
            recombine(&a, p, d: d, rng: &rng, patience: beyondProof ? recombinePatience : 1)
            let c = cost(a, p, d: d)
            if c < best.1 - 1e-12 { best = (canonical(a), c) }
        }
        return PartitionSolution(
            assignment: best.0, cost: best.1, optimal: false,
            lowerBound: min(best.1, p.lowerBound + p.shapeBound + spreadBound(p, d: d, incumbent: best.1)),
            method: "region growing + local search; bound: balance majorization + p-median")
    }

    /// The spread of one person of unit i at seat j, g(d_ij) = compactness (d / scale)² +
    /// access (d / scale), row-major n × n.
    static func spreadMatrix(_ p: PartitionProblem, d: DistanceTable) -> [Double] {
        let o = p.objective, n = p.count
        var spread = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                let r = d[i, j] / o.scale
                spread[i * n + j] = o.compactness * r * r + o.access * r
            }
        }
        return spread
    }

    /// A lower bound on the compactness and access terms of the best partition, given a
    /// partition costing `incumbent`: those terms are Σ_parts (1 / P) Σ_{i ∈ part} wᵢ g(dᵢ),
    /// g as in ``spreadMatrix(_:d:)``, dᵢ the distance to the part's seat. A partition no worse
    /// than the incumbent has every part's balance term below it, so
    /// P ≤ T (1 + √(incumbent / balance)) (and P ≤ the total); and Σ wᵢ g(dᵢ) over all units is
    /// at least the p-median of the units with cost g and k = parts seats (the seats relaxed
    /// to any k units, each unit to its nearest), bounded below by Lagrangian relaxation
    /// (``MedianLagrangian``). So the terms are at least that bound over the largest P.
    /// O(n²) per subgradient step, at most 200 steps.
    static func spreadBound(_ p: PartitionProblem, d: DistanceTable, incumbent: Double) -> Double {
        let o = p.objective
        let n = p.count
        guard o.compactness > 0 || o.access > 0, p.parts < n, incumbent.isFinite, o.scale > 0 else { return 0 }
        let total = p.populations.reduce(0, +)
        let largest =
            o.balance > 0 ? min(total, p.target * (1 + (max(0, incumbent) / o.balance).squareRoot())) : total
        guard largest > 0 else { return 0 }
        let h = MedianHeuristic(
            weights: p.populations, matrix: spreadMatrix(p, d: d), cap: [Double](repeating: 1e250, count: n))
        let incumbentMedian = h.cost(h.interchange(h.greedy(p.parts)))
        let relaxation = MedianLagrangian(h, p: p.parts, incumbent: incumbentMedian, maxIterations: 200)
        return max(0, relaxation.bound) / largest
    }

    /// The most units a subproblem may have for ``capacitatedBound(_:_:d:)`` (the national
    /// subproblems have at most 254).
    static let capacitatedBoundUnits = 400

    /// `solution` with its lower bound raised, where it can be, by the capacitated p-median
    /// bound on the spread terms (``CapacitatedSpreadBound``): every part of a partition no
    /// worse than the incumbent holds |P − T| ≤ T √(budget / balance) people, where the budget
    /// is the incumbent's cost less the shape bound (``PartitionProblem/shapeBound``) and drops
    /// by the spread bound found (the balance terms of such a partition add up to at most
    /// cost − shape − spread); three rounds, each started from the last one's multipliers: 300
    /// steps with the window in 8 bands, then 100 in 32 (narrower bands divide each part by a
    /// top nearer its people). The bound is then the balance, shape and spread bounds'
    /// sum. It is what gives the cities' subproblems of many small
    /// pieces, whose balance bound is about zero, a gap that says something (national 140 plan:
    /// Guayaquil 70 % → 15 %, Quito 38 % → 14 %, Cuenca 43 % → 4 % in 8 bands throughout; the
    /// last two rounds in 32 take them to 12.3 %, 12.8 % and 3.9 %, and all three rounds in 32
    /// no further, 64 bands to 12.7 % at most, twice the steps to 12.2 %, each 1–3 s slower a
    /// city). It runs only where the
    /// subproblem was not solved exactly, and on at most ``capacitatedBoundUnits`` units:
    /// O(bands · n²) expected per subgradient step and three n × n tables (about 2 s for
    /// Guayaquil's 184 pieces, 3 s for its 249 at the default targets; a layer of thousands of
    /// units in one subproblem would take hours and gigabytes, and keeps the p-median bound).
    static func capacitatedBound(_ solution: PartitionSolution, _ p: PartitionProblem, d: DistanceTable)
        -> PartitionSolution
    {
        let o = p.objective, n = p.count
        guard o.compactness > 0 || o.access > 0, o.balance > 0, o.scale > 0, p.parts < n, solution.cost.isFinite,
            n <= capacitatedBoundUnits
        else { return solution }
        let total = p.populations.reduce(0, +)
        let balanceBound = p.lowerBound, shapeBound = p.shapeBound
        let spread = spreadMatrix(p, d: d)
        var members = [[Int]](repeating: [], count: p.parts)
        for (i, a) in solution.assignment.enumerated() where a >= 0 && a < p.parts { members[a].append(i) }
        // The incumbent's own seats and parts bound the relaxation's optimum from above.
        let incumbentSpread = members.reduce(0.0) { sum, part in
            let people = part.reduce(0) { $0 + p.populations[$1] }
            guard people > 0, let seat = p.seat(of: part) else { return sum }
            return sum + part.reduce(0) { $0 + p.populations[$1] * spread[$1 * n + seat] } / people
        }
        var bound = 0.0
        var multipliers: [Double]? = nil
        for _ in 0..<3 {
            let reach = p.target * (max(0, solution.cost - shapeBound - bound) / o.balance).squareRoot()
            let least = max(0, p.target - reach), most = min(total, p.target + reach)
            guard most > 0 else { break }
            let capacitated = CapacitatedSpreadBound(
                weights: p.populations, spread: spread, parts: p.parts, least: least, most: most,
                upper: incumbentSpread, bands: multipliers == nil ? 8 : 32, start: multipliers,
                maxIterations: multipliers == nil ? 300 : 100)
            multipliers = capacitated.multipliers
            guard capacitated.bound > bound * (1 + 1e-6) else { break }
            bound = capacitated.bound
        }
        var strengthened = solution
        let lower = min(solution.cost, balanceBound + shapeBound + bound)
        if lower > solution.lowerBound {
            strengthened.lowerBound = lower
            strengthened.method += " + capacitated p-median"
        }
        return strengthened
    }

    /// Merge–split recombination, exact on small sets (the move of ReCom, DeFord, Duchin &
    /// Solomon 2021, with the best split instead of a random one). Two moves, alternating with
    /// the single-unit descent until none improves:
    /// - two neighbouring parts holding at most `treeLimit` units are merged and re-split along
    ///   their best contiguous bipartition;
    /// - two neighbouring parts are merged and some other part is split in two along its best
    ///   bipartition, when the split gains more than the merge loses — the move that frees a
    ///   part where units are too light for it and gives it where they are too heavy, which no
    ///   chain of single moves between neighbours can make.
    /// Bipartitions of at most `limit` units are enumerated on bitmasks, O(2^m · m) for m
    /// units; larger ones are the best cut of a few random spanning trees
    /// (``treeBipartition(_:_:d:rng:trees:)``). A pass in which no move improves ends the
    /// search once `patience` such passes come in a row: with spanning trees a pass draws new
    /// trees, so the next may still find a cut. Every move taken improves the cost, and up to
    /// the first idle pass the search is the same whatever the patience, so more patience
    /// never ends worse from the same start and seed. At most 40 passes.
    static func recombine(
        _ a: inout [Int], _ p: PartitionProblem, d: DistanceTable, rng: inout SeededRandom, limit: Int = 12,
        treeLimit: Int = 80, patience: Int = 1
    ) {
        /// The exact split up to `limit` units, else the best of a few spanning-tree splits.
        func split(_ units: [Int]) -> (cost: Double, first: [Int], second: [Int])? {
            units.count <= limit
                ? bestBipartition(units, p, d: d) : treeBipartition(units, p, d: d, rng: &rng)
        }
        var idle = 0
        for _ in 0..<40 {
            var groups = [[Int]](repeating: [], count: p.parts)
            for (i, x) in a.enumerated() { groups[x].append(i) }
            var costs = groups.map { partCost($0, p, d: d) }
            var changed = false
            func touching(_ x: Int, _ y: Int) -> Bool {
                let set = Set(groups[y])
                return groups[x].contains { i in p.neighbours[i].contains { set.contains($0) } }
            }
            // Move 1: re-split neighbouring pairs.
            for x in 0..<p.parts {
                for y in (x + 1)..<max(x + 1, p.parts)
                where groups[x].count + groups[y].count <= treeLimit && touching(x, y) {
                    guard let split = split(groups[x] + groups[y]),
                        split.cost < costs[x] + costs[y] - 1e-12
                    else { continue }
                    groups[x] = split.first
                    groups[y] = split.second
                    for i in groups[x] { a[i] = x }
                    for i in groups[y] { a[i] = y }
                    costs[x] = partCost(groups[x], p, d: d)
                    costs[y] = partCost(groups[y], p, d: d)
                    changed = true
                }
            }
            // Move 2: merge a neighbouring pair, split another part.
            var splits: [(part: Int, gain: Double, first: [Int], second: [Int])] = []
            for z in 0..<p.parts where groups[z].count >= 2 && groups[z].count <= treeLimit {
                if let split = split(groups[z]), costs[z] - split.cost > 1e-12 {
                    splits.append((z, costs[z] - split.cost, split.first, split.second))
                }
            }
            splits.sort { ($0.gain, -$0.part) > ($1.gain, -$1.part) }
            var bestMove: (x: Int, y: Int, split: Int, delta: Double)? = nil
            if !splits.isEmpty {
                for x in 0..<p.parts {
                    for y in (x + 1)..<max(x + 1, p.parts) where touching(x, y) {
                        let loss = partCost(groups[x] + groups[y], p, d: d) - costs[x] - costs[y]
                        guard let s = splits.firstIndex(where: { $0.part != x && $0.part != y }) else { continue }
                        let delta = loss - splits[s].gain
                        if delta < -1e-12, delta < (bestMove?.delta ?? 0) { bestMove = (x, y, s, delta) }
                    }
                }
            }
            if let m = bestMove {
                let s = splits[m.split]
                groups[m.x] += groups[m.y]
                groups[s.part] = s.first
                groups[m.y] = s.second
                for (k, members) in groups.enumerated() { for i in members { a[i] = k } }
                changed = true
            }
            guard changed else {
                idle += 1
                if idle >= max(1, patience) { return }
                continue
            }
            idle = 0
            improve(&a, p, d: d)
        }
    }

    /// A split of `units` into two contiguous sides along a random spanning tree (the move of
    /// ReCom, DeFord, Duchin & Solomon 2021): `trees` trees from seeded random edge weights
    /// (Kruskal), every edge of each tried as the cut, the cheapest split kept; for parts too
    /// large to enumerate. Nil when `units` are not connected. O(trees × m × (m + part cost)).
    static func treeBipartition(
        _ units: [Int], _ p: PartitionProblem, d: DistanceTable, rng: inout SeededRandom, trees: Int = 6
    ) -> (cost: Double, first: [Int], second: [Int])? {
        let units = units.sorted()
        let m = units.count
        guard m >= 2 else { return nil }
        var local: [Int: Int] = [:]
        for (k, u) in units.enumerated() { local[u] = k }
        var edges: [(Int, Int)] = []
        for (i, u) in units.enumerated() {
            for v in p.neighbours[u] { if let j = local[v], j > i { edges.append((i, j)) } }
        }
        var best: (cost: Double, first: [Int], second: [Int])? = nil
        for _ in 0..<max(1, trees) {
            let weights = edges.map { _ in rng.next() }
            var sets = DisjointSets(m)
            var tree = [[Int]](repeating: [], count: m)
            var joined = 0
            for e in edges.indices.sorted(by: { (weights[$0], $0) < (weights[$1], $1) }) {
                let (i, j) = edges[e]
                guard sets.root(i) != sets.root(j) else { continue }
                sets.join(i, j)
                tree[i].append(j)
                tree[j].append(i)
                joined += 1
            }
            guard joined == m - 1 else { return nil }
            // Depth-first order from node 0; each node's subtree gathered leaves first.
            var parent = [Int](repeating: -1, count: m)
            var order: [Int] = []
            var stack = [0]
            parent[0] = 0
            while let n = stack.popLast() {
                order.append(n)
                for c in tree[n] where parent[c] < 0 {
                    parent[c] = n
                    stack.append(c)
                }
            }
            var subtree = (0..<m).map { [$0] }
            for n in order.reversed() where n != 0 { subtree[parent[n]] += subtree[n] }
            for n in order where n != 0 {
                let inside = Set(subtree[n])
                let first = subtree[n].map { units[$0] }.sorted()
                let second = (0..<m).filter { !inside.contains($0) }.map { units[$0] }
                let c = partCost(first, p, d: d) + partCost(second, p, d: d)
                if c < (best?.cost ?? .infinity) - 1e-12 { best = (c, first, second) }
            }
        }
        return best
    }

    /// The cheapest split of `units` into two non-empty contiguous sides (nil when none or
    /// more than 20 units), by enumerating the subsets holding the first unit.
    static func bestBipartition(_ units: [Int], _ p: PartitionProblem, d: DistanceTable)
        -> (cost: Double, first: [Int], second: [Int])?
    {
        let units = units.sorted()
        let m = units.count
        guard m >= 2, m <= 20 else { return nil }
        var local: [Int: Int] = [:]
        for (k, u) in units.enumerated() { local[u] = k }
        let adjacency = units.map { u in
            p.neighbours[u].reduce(UInt32(0)) { mask, v in local[v].map { mask | (1 << UInt32($0)) } ?? mask }
        }
        let full = UInt32((1 << m) - 1)
        func contiguous(_ mask: UInt32) -> Bool {
            var seen = mask & (~mask &+ 1)
            while true {
                var grown = seen
                var rest = seen
                while rest != 0 {
                    grown |= adjacency[rest.trailingZeroBitCount] & mask
                    rest &= rest - 1
                }
                if grown == seen { return seen == mask }
                seen = grown
            }
        }
        func members(_ mask: UInt32) -> [Int] { (0..<m).filter { mask & (1 << UInt32($0)) != 0 }.map { units[$0] } }
        var best: (Double, UInt32)? = nil
        var mask: UInt32 = 1
        while mask < full {
            defer { mask += 2 }  // unit 0 always on the first side
            let other = full ^ mask
            guard contiguous(mask), contiguous(other) else { continue }
            let c = partCost(members(mask), p, d: d) + partCost(members(other), p, d: d)
            if c < (best?.0 ?? .infinity) - 1e-12 { best = (c, mask) }
        }
        guard let (c, m0) = best else { return nil }
        return (c, members(m0), members(full ^ m0))
    }

    /// Region growing from k seeds spread by farthest-point sampling after a random first one
    /// (with `weighted`, then moved by a few population-weighted Lloyd steps, so that dense
    /// areas get seeds in proportion to their people, not their extent): the lightest part
    /// takes its nearest free neighbour until every unit is taken.
    static func grow(_ p: PartitionProblem, d: DistanceTable, rng: inout SeededRandom, weighted: Bool = false)
        -> [Int]?
    {
        let n = p.count
        var seeds = [rng.int(n)]
        while seeds.count < p.parts {
            let next = (0..<n).filter { !seeds.contains($0) }.max { a, b in
                let da = seeds.map { d[a, $0] }.min() ?? 0
                let db = seeds.map { d[b, $0] }.min() ?? 0
                return (da, -a) < (db, -b)
            }
            guard let next else { return nil }
            seeds.append(next)
        }
        if weighted { seeds = lloyd(seeds, p, d: d) }
        var a = [Int](repeating: -1, count: n)
        var weight = [Double](repeating: 0, count: p.parts)
        for (k, s) in seeds.enumerated() {
            a[s] = k
            weight[k] = p.populations[s]
        }
        var free = n - p.parts
        while free > 0 {
            var moved = false
            for k in (0..<p.parts).sorted(by: { (weight[$0], $0) < (weight[$1], $1) }) {
                let frontier = Set((0..<n).filter { a[$0] == k }.flatMap { p.neighbours[$0] }.filter { a[$0] < 0 })
                guard
                    let take = frontier.min(by: { x, y in
                        (d[x, seeds[k]], x) < (
                            d[y, seeds[k]], y
                        )
                    })
                else { continue }
                a[take] = k
                weight[k] += p.populations[take]
                free -= 1
                moved = true
                break
            }
            if !moved { return nil }  // the free units are cut off from every part
        }
        return a
    }

    /// Population-weighted Lloyd steps on the seeds (k-medoids in the style of Park & Jun
    /// 2009): each unit joins its nearest seed, each cluster's seed becomes the member with
    /// the least population-weighted distance to the others; five steps, O(n²) each. Seeds
    /// stay distinct.
    static func lloyd(_ start: [Int], _ p: PartitionProblem, d: DistanceTable) -> [Int] {
        var seeds = start
        for _ in 0..<5 {
            var clusters = [[Int]](repeating: [], count: seeds.count)
            for i in 0..<p.count {
                let k = seeds.indices.min { (d[i, seeds[$0]], $0) < (d[i, seeds[$1]], $1) } ?? 0
                clusters[k].append(i)
            }
            var next = seeds
            for (k, members) in clusters.enumerated() where !members.isEmpty {
                let medoid = members.min { a, b in
                    let ca = members.reduce(0.0) { $0 + p.populations[$1] * d[a, $1] }
                    let cb = members.reduce(0.0) { $0 + p.populations[$1] * d[b, $1] }
                    return (ca, a) < (cb, b)
                }
                if let medoid, !next.contains(medoid) { next[k] = medoid }
            }
            if next == seeds { break }
            seeds = next
        }
        return seeds
    }

    /// Steepest descent over single-unit moves to a neighbouring part that keep both parts
    /// contiguous and non-empty.
    static func improve(_ a: inout [Int], _ p: PartitionProblem, d: DistanceTable) {
        var groups = [[Int]](repeating: [], count: p.parts)
        for (i, x) in a.enumerated() { groups[x].append(i) }
        var costs = groups.map { partCost($0, p, d: d) }
        var improved = true
        var rounds = 0
        while improved && rounds < 200 {
            improved = false
            rounds += 1
            var bestMove: (unit: Int, to: Int, delta: Double)? = nil
            for i in 0..<p.count {
                let from = a[i]
                guard groups[from].count > 1 else { continue }
                let takers = Set(p.neighbours[i].map { a[$0] }).subtracting([from])
                guard !takers.isEmpty else { continue }
                // The part it leaves is the same whichever part it joins.
                let donor = groups[from].filter { $0 != i }
                guard connected(donor, p) else { continue }
                let donorCost = partCost(donor, p, d: d)
                for to in takers {
                    let taker = groups[to] + [i]
                    let delta = donorCost + partCost(taker, p, d: d) - costs[from] - costs[to]
                    let current = bestMove.map { ($0.delta, $0.unit, $0.to) } ?? (0, Int.max, Int.max)
                    if delta < -1e-12, (delta, i, to) < current { bestMove = (i, to, delta) }
                }
            }
            if let m = bestMove {
                let from = a[m.unit]
                groups[from].removeAll { $0 == m.unit }
                groups[m.to].append(m.unit)
                a[m.unit] = m.to
                costs[from] = partCost(groups[from], p, d: d)
                costs[m.to] = partCost(groups[m.to], p, d: d)
                improved = true
            }
        }
    }
}

/// Distances between the units of one problem, computed once (a subproblem has at most a few
/// hundred units, so the n² table is small and saves the geodesic calls of every move).
struct DistanceTable {
    let n: Int
    var metres: [Double]
    init(_ p: PartitionProblem, metric: some DistanceMetric) {
        n = p.count
        metres = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let m = metric.metres(p.locations[i], p.locations[j])
                metres[i * n + j] = m
                metres[j * n + i] = m
            }
        }
    }
    subscript(_ i: Int, _ j: Int) -> Double { metres[i * n + j] }
}

/// SplitMix64 (Steele, Lea & Flood 2014): the planning module's only source of randomness,
/// seeded so that a seed gives the same plan everywhere.
public struct SeededRandom: Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
}

/// Exact partitioning by columns (Garfinkel & Nemhauser 1970, "Optimal political districting
/// by implicit enumeration techniques"; Mehrotra, Johnson & Nemhauser 1998): every connected
/// set of units that could be a part of a partition no worse than the incumbent is enumerated
/// (``ConnectedSubsets``) and priced by the part cost, and a set-partitioning MIP picks k of
/// them covering each unit once:
///
///     min Σ c_j x_j   s.t.   Σ_{j ∋ i} x_j = 1 for every unit i,   Σ_j x_j = k,   x ∈ {0, 1}.
///
/// Every part's cost is ≥ 0, so each part of a partition costing at most the incumbent costs
/// at most the incumbent; its balance term then bounds its population, P ≤ T (1 + √(incumbent
/// / balance)), which is where the enumeration stops, and the parts costing more are left
/// out, as are those whose cost with the least balance cost of the other k − 1 parts (their
/// people shared evenly, then the majorization bound of the units left to them,
/// ``PartitionProblem/lowerBound``) exceeds the incumbent. The objective is a sum over parts, so the MIP's optimum is the problem's optimum, and
/// its LP relaxation a lower bound on it. The incumbent is the MIP's start.
///
/// Runs on at most 64 units. Where the columns are more than the MIP may take (``Limits``),
/// column generation bounds the problem first and reduced-cost fixing drops the columns that
/// cannot be in a partition no worse than the incumbent
/// (``priceOut(_:units:parts:start:upper:solver:perRound:maxRounds:)``); the MIP gets the rest.
/// Deterministic: the
/// columns come in a fixed order and only an optimal or node-limited result (CBC's node count,
/// not the clock) is used; a result the clock stopped keeps the incumbent, bounded by the LP.
public enum SetPartitioning {
    public struct Limits: Sendable {
        /// At most this many connected sets are visited (more: not tried).
        public var visits: Int
        /// At most this many columns go to the MIP; more go through column generation first
        /// (``priceOut(_:units:parts:start:upper:solver:perRound:maxRounds:)``), and the MIP
        /// gets the ones it leaves if they are at most this many.
        public var columns: Int
        /// At most this many columns are kept for column generation, 16 bytes each (more: not
        /// tried).
        public var storedColumns: Int
        /// Branch-and-bound nodes (``LinearModel/nodeLimit``).
        public var nodes: Int
        /// A safety limit only: a search the clock stops is not used.
        public var seconds: Double

        public init(
            visits: Int = 3_000_000, columns: Int = 30_000, storedColumns: Int = 500_000, nodes: Int = 2_000,
            seconds: Double = 60
        ) {
            self.visits = visits
            self.columns = columns
            self.storedColumns = storedColumns
            self.nodes = nodes
            self.seconds = seconds
        }
    }

    /// The incumbent, improved and proven optimal where the columns allow, else with the
    /// strongest bound found; unchanged when the problem has too many columns or the solver
    /// fails.
    static func improve(
        _ incumbent: PartitionSolution, _ p: PartitionProblem, d: DistanceTable, solver: any LinearSolver,
        limits: Limits
    ) -> PartitionSolution {
        guard p.parts >= 2, incumbent.cost.isFinite,
            let graph = ConnectedSubsets(neighbours: p.neighbours, weights: p.populations)
        else { return incumbent }
        let o = p.objective
        let total = p.populations.reduce(0, +)
        let slack = 1e-9 * max(1, incumbent.cost)
        let cap = o.balance > 0 ? min(total, p.target * (1 + (max(0, incumbent.cost) / o.balance).squareRoot())) : total
        var columns: [(mask: UInt64, cost: Double)] = []
        var overflow = false
        // A column is kept only if it and the cheapest balance of the other k − 1 parts (their
        // people split evenly: the balance term is convex) stay within the incumbent; the
        // balance terms alone are checked first, the full part cost only then.
        let largestFirst = p.populations.indices.sorted { (p.populations[$0], -$0) > (p.populations[$1], -$1) }
        func balance(_ people: Double, parts: Int) -> Double {
            guard parts > 0 else { return people > 0 ? .infinity : 0 }
            let dev = (people / Double(parts) - p.target) / p.target
            return o.balance * Double(parts) * dev * dev
        }
        let visited = graph.enumerate(cap: cap * (1 + 1e-12), visitLimit: limits.visits) { mask, people in
            guard !overflow else { return }
            let rest = balance(total - people, parts: p.parts - 1)
            guard balance(people, parts: 1) + rest <= incumbent.cost + slack else { return }
            let c = Partitioner.partCost(members(mask), p, d: d)
            guard c + rest <= incumbent.cost + slack else { return }
            // The other parts' balance bound from the units left to them (their lumpiness).
            let left = largestFirst.compactMap { mask & (1 << UInt64($0)) == 0 ? p.populations[$0] : nil }
            let restBound =
                o.balance
                * PartitionProblem.majorizationBound(
                    largestFirst: left, total: total - people, parts: p.parts - 1, target: p.target)
            guard c + restBound <= incumbent.cost + slack else { return }
            columns.append((mask, c))
            if columns.count > limits.storedColumns { overflow = true }
        }
        guard visited != nil, !overflow else { return incumbent }
        // The incumbent's parts are columns (each costs at most the total); added if rounding
        // left one out, so the start is always feasible.
        var index: [UInt64: Int] = [:]
        for (j, c) in columns.enumerated() { index[c.mask] = j }
        var incumbentMasks = [UInt64](repeating: 0, count: p.parts)
        for (i, part) in incumbent.assignment.enumerated() { incumbentMasks[part] |= 1 << UInt64(i) }
        for mask in incumbentMasks where index[mask] == nil {
            index[mask] = columns.count
            columns.append((mask, Partitioner.partCost(members(mask), p, d: d)))
        }
        // Too many for the MIP: column generation bounds the problem and drops the columns
        // that cannot be in a partition no worse than the incumbent.
        let enumerated = columns.count
        var generated: Priced? = nil
        if columns.count > limits.columns {
            guard
                let priced = priceOut(
                    columns, units: p.count, parts: p.parts, start: incumbentMasks.compactMap { index[$0] },
                    upper: incumbent.cost, solver: solver)
            else { return incumbent }
            generated = priced
            // The LPs go to the solver's relaxation: GLPK's for either solver.
            let how = "column generation (\(priced.rounds) LP rounds, \(enumerated) columns)"
            var bounded = incumbent
            if priced.bound >= incumbent.cost - slack {
                bounded.optimal = true
                bounded.lowerBound = incumbent.cost
                bounded.method = "\(incumbent.method); proven by \(how)"
                return bounded
            }
            guard priced.survivors.count <= limits.columns else {
                if priced.bound > incumbent.lowerBound {
                    bounded.lowerBound = min(incumbent.cost, priced.bound)
                    bounded.method = "\(incumbent.method); bound: \(how)"
                }
                return bounded
            }
            columns = priced.survivors.map { columns[$0] }
            index = [:]
            for (j, c) in columns.enumerated() { index[c.mask] = j }
        }
        var model = LinearModel(maximise: false)
        for c in columns { model.variable(objective: c.cost, integer: true) }
        var covering = [[(Int, Double)]](repeating: [], count: p.count)
        for (j, c) in columns.enumerated() {
            var rest = c.mask
            while rest != 0 {
                covering[rest.trailingZeroBitCount].append((j, 1))
                rest &= rest - 1
            }
        }
        for terms in covering { model.row(terms, lower: 1, upper: 1) }
        model.row(columns.indices.map { ($0, 1.0) }, lower: Double(p.parts), upper: Double(p.parts))
        model.nodeLimit = limits.nodes
        var start = [Double](repeating: 0, count: columns.count)
        for mask in incumbentMasks { if let j = index[mask] { start[j] = 1 } }
        let what =
            generated.map {
                "set partitioning (\(solver.name), \(columns.count) of \(enumerated) columns after \($0.rounds) rounds of column generation)"
            } ?? "set partitioning (\(solver.name), \(columns.count) columns)"
        guard let result = try? solver.solve(model, seconds: limits.seconds, start: start) else { return incumbent }
        var best = incumbent
        switch result.outcome {
        case .optimal, .nodeLimit:
            guard let solution = result.solution, let assignment = assignment(solution.values, columns, p) else {
                return incumbent
            }
            let cost = Partitioner.cost(assignment, p, d: d)
            if cost < incumbent.cost - 1e-12 {
                best = PartitionSolution(
                    assignment: Partitioner.canonical(assignment), cost: cost, optimal: false,
                    lowerBound: incumbent.lowerBound, method: incumbent.method)
            }
            if result.outcome == .optimal {
                best.optimal = true
                best.lowerBound = best.cost
                best.method = what
            } else {
                best.lowerBound = min(best.cost, max(incumbent.lowerBound, solution.bound))
                best.method = "\(incumbent.method); bound: \(what), \(limits.nodes) nodes"
            }
        default:
            // The clock stopped it (or it failed): the LP relaxation still bounds the optimum.
            if let lp = try? solver.relaxation(model), lp.outcome == .optimal, let value = lp.solution?.objective,
                value > incumbent.lowerBound
            {
                best.lowerBound = min(incumbent.cost, value)
                best.method = "\(incumbent.method); bound: LP of the \(what)"
            }
        }
        // Column generation's bound holds for every partition no worse than the incumbent.
        if !best.optimal, let generated, generated.bound > best.lowerBound {
            best.lowerBound = min(best.cost, generated.bound)
        }
        return best

        func members(_ mask: UInt64) -> [Int] {
            var list: [Int] = []
            var rest = mask
            while rest != 0 {
                list.append(rest.trailingZeroBitCount)
                rest &= rest - 1
            }
            return list
        }
    }

    /// The part of each unit from the chosen columns (x > 0.5); nil unless exactly `parts`
    /// columns cover every unit once.
    static func assignment(_ values: [Double], _ columns: [(mask: UInt64, cost: Double)], _ p: PartitionProblem)
        -> [Int]?
    {
        guard values.count == columns.count else { return nil }
        var assignment = [Int](repeating: -1, count: p.count)
        var part = 0
        for (j, c) in columns.enumerated() where values[j] > 0.5 {
            var rest = c.mask
            while rest != 0 {
                let i = rest.trailingZeroBitCount
                rest &= rest - 1
                guard assignment[i] < 0 else { return nil }
                assignment[i] = part
            }
            part += 1
        }
        guard part == p.parts, !assignment.contains(-1) else { return nil }
        return assignment
    }
}

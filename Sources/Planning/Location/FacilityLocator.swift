/// The facility location engine: every ``LocationQuestion`` solved exactly where the solver
/// proves it within the time limit, with the bound and the gap reported either way.
///
/// - MCLP and LSCP: ``CoverageReduction`` (fixed coverage, demand groups, dominated
///   candidates and rows), then the reduced ``CoveringModel`` MIP started from a greedy cover.
/// - p-median: greedy + fast interchange (``MedianHeuristic``), then the radius formulation
///   with row generation (``MedianRadiusFormulation``), LP rows grown first, then the MIP
///   started from the heuristic; with capacities, the classic assignment MIP
///   (``CapacitatedMedianModel``).
/// - p-center: ``CenterSearch``, a binary search over the distinct distances, each step an
///   exact LSCP with at most p sites (Minieka 1970; Daskin 1995 §5.3).
///
/// Objectives are recomputed from the distances of the chosen sites (uncapacitated) — never
/// taken from the model alone — so a wrong model shows as a gap, not a wrong answer.
public enum FacilityLocator {
    /// Solves `problem`; `seconds` limits each MIP solve (a limit that stops a search is said
    /// in the method, in words that do not depend on the machine's speed). `reduce` false
    /// builds the plain models (every demand point, candidate and distance level): the same
    /// optimum, slower; it exists to check the reductions.
    public static func solve(
        _ problem: LocationProblem, solver: any LinearSolver, seconds: Double = 60, reduce: Bool = true
    ) throws -> LocationSolution {
        switch problem.question {
        case .maximalCovering(let p, let r): try maximalCovering(problem, p: p, radius: r, solver, seconds, reduce)
        case .setCovering(let r): try setCovering(problem, radius: r, solver, seconds, reduce)
        case .median(let p): try median(problem, p: p, solver, seconds, reduce)
        case .center(let p): try CenterSearch.solve(problem, p: p, solver: solver, seconds: seconds, reduce: reduce)
        }
    }

    // MARK: MCLP

    static func maximalCovering(_ problem: LocationProblem, p: Int, radius: Double, _ solver: any LinearSolver,
        _ seconds: Double, _ reduce: Bool) throws -> LocationSolution
    {
        let reduction = CoverageReduction(problem, radius: radius, dropDominatedRows: false, reduce: reduce)
        var notes = reduction.notes
        let live = reduction.candidates.filter { !problem.fixed[$0] }
        if p > live.count {
            notes.append("\(p) sites asked, \(live.count) candidates add coverage: the others would cover nothing more")
        }
        let evaluation = UncapacitatedEvaluation(problem)
        guard !reduction.groups.isEmpty, min(p, live.count) > 0 else {
            return trivial(problem, evaluation, notes: notes, unservable: reduction.uncoverable)
        }
        let covering = CoveringModel(problem, reduction, sites: p)
        let greedy = greedyCover(reduction, fixed: problem.fixed, sites: min(p, live.count))
        let start = covering.start(open: greedy, problem: problem, reduction: reduction)
        let result = try solver.solve(covering.model, seconds: seconds, start: start)
        let constant = reduction.alreadyCovered.reduce(0) { $0 + problem.weights[$1] }
        return try finish(
            problem, result, model: covering.model, constant: constant, notes: notes,
            unservable: reduction.uncoverable, formulation: "reduced covering MIP", solver: solver, start: greedy,
            open: { covering.open($0, problem: problem) },
            assignment: { covering.assignment($0, problem: problem, reduction: reduction) })
    }

    // MARK: LSCP

    static func setCovering(_ problem: LocationProblem, radius: Double, _ solver: any LinearSolver,
        _ seconds: Double, _ reduce: Bool = true) throws -> LocationSolution
    {
        let reduction = CoverageReduction(
            problem, radius: radius, dropDominatedRows: !problem.capacitated, reduce: reduce)
        let evaluation = UncapacitatedEvaluation(problem)
        guard !reduction.groups.isEmpty else {
            return trivial(problem, evaluation, notes: reduction.notes, unservable: reduction.uncoverable)
        }
        let covering = CoveringModel(problem, reduction, sites: nil)
        let greedy = greedyCover(reduction, fixed: problem.fixed, sites: nil)
        let start = covering.start(open: greedy, problem: problem, reduction: reduction)
        let result = try solver.solve(covering.model, seconds: seconds, start: start)
        if result.outcome == .infeasible {
            throw PlanningError(
                "no set of sites can serve every demand point within \(radius) with these capacities")
        }
        return try finish(
            problem, result, model: covering.model, constant: 0, notes: reduction.notes,
            unservable: reduction.uncoverable, formulation: "reduced set covering MIP", solver: solver,
            start: greedy, open: { covering.open($0, problem: problem) },
            assignment: { covering.assignment($0, problem: problem, reduction: reduction) })
    }

    /// Greedy cover (Chvátal 1979): open the candidate covering the most uncovered weight (for
    /// LSCP: groups) until `sites` are open or everything is covered; ties to the lower index.
    static func greedyCover(_ reduction: CoverageReduction, fixed: [Bool], sites: Int?) -> [Int] {
        var groupsOf: [Int: [Int]] = [:]
        for (g, group) in reduction.groups.enumerated() { for j in group.coverers { groupsOf[j, default: []].append(g) } }
        var covered = [Bool](repeating: false, count: reduction.groups.count)
        for (g, group) in reduction.groups.enumerated() where group.coverers.contains(where: { fixed[$0] }) {
            covered[g] = true
        }
        var open: [Int] = []
        let free = reduction.candidates.filter { !fixed[$0] }
        while sites.map({ open.count < $0 }) ?? covered.contains(false) {
            var best = -1, bestGain = 0.0
            for j in free where !open.contains(j) {
                let gain = (groupsOf[j] ?? []).reduce(0.0) {
                    $0 + (covered[$1] ? 0 : (sites == nil ? 1 : reduction.groups[$1].weight))
                }
                if gain > bestGain {
                    best = j
                    bestGain = gain
                }
            }
            guard best >= 0 else { break }
            open.append(best)
            for g in groupsOf[best] ?? [] { covered[g] = true }
        }
        // Sites beyond what adds coverage still count towards p: the first free ones.
        if let sites {
            for j in free where open.count < sites && !open.contains(j) { open.append(j) }
        }
        return open.sorted()
    }

    // MARK: p-median

    static func median(
        _ problem: LocationProblem, p: Int, _ solver: any LinearSolver, _ seconds: Double, _ reduce: Bool
    ) throws
        -> LocationSolution
    {
        let evaluation = UncapacitatedEvaluation(problem)
        let free = problem.free
        if problem.capacitated {
            let pairs = CapacitatedMedianModel.pairs(problem)
            guard pairs <= CapacitatedMedianModel.largestModel else {
                throw PlanningError(
                    "the capacitated p-median on \(pairs) demand–site pairs is beyond the exact model (\(CapacitatedMedianModel.largestModel) pairs): aggregate the demand, use fewer candidates, or leave capacities out"
                )
            }
            let model = CapacitatedMedianModel(problem, sites: p)
            let result = try solver.solve(model.model, seconds: seconds)
            return try finish(
                problem, result, model: model.model, constant: 0, notes: [], unservable: [],
                formulation: "capacitated assignment MIP", solver: solver, start: nil,
                open: { model.open($0, problem: problem) }, assignment: { model.assignment($0, problem: problem) })
        }
        guard min(p, free.count) > 0 else { return trivial(problem, evaluation, notes: [], unservable: []) }
        let penalty = problem.unreachablePenalty
        let rows = (0..<problem.demandCount).filter { problem.weights[$0] > 0 }
        let fixedSites = (0..<problem.candidateCount).filter { problem.fixed[$0] }
        let cap = rows.map { i in fixedSites.reduce(penalty) { min($0, problem.distance(i, $1)) } }
        let heuristic = MedianHeuristic(
            problem: problem, rows: rows, weights: rows.map { problem.weights[$0] }, candidates: free, cap: cap)
        let startLocal = heuristic.interchange(heuristic.greedy(p))
        let heuristicOpen = startLocal.map { free[$0] }
        let heuristicCost = heuristic.cost(startLocal)
        var notes: [String] = []
        // Lagrangian bound and variable fixing (Beasley 1993): only candidates that can be in a
        // solution better than the heuristic's stay in the exact model.
        let lagrangian = MedianLagrangian(heuristic, p: p, incumbent: heuristicCost, maxIterations: reduce ? 1500 : 0)
        let kept = reduce ? lagrangian.kept : Array(free.indices)
        if reduce {
            notes.append(
                "Lagrangian bound \(lagrangian.bound) after \(lagrangian.iterations) iterations; \(free.count) candidates → \(kept.count) that can beat the heuristic"
            )
        }
        // No p kept candidates (or a bound at the heuristic's cost): the heuristic is optimal.
        if kept.count < min(p, free.count) || lagrangian.bound >= heuristicCost * (1 - 1e-12) {
            let (objective, assignment) = evaluation.solution(heuristicOpen)
            return LocationSolution(
                open: heuristicOpen.sorted(), objective: objective, bound: objective,
                method: "greedy + fast interchange, proven optimal by the Lagrangian bound and variable fixing",
                assignment: assignment, reductions: notes,
                unservable: rows.filter { !problem.reachable($0) })
        }
        // The heuristic's distance per demand point sets the first levels kept.
        let served = rows.indices.map { k in startLocal.reduce(cap[k]) { min($0, heuristic.matrix[k * free.count + $1]) } }
        let columns = kept.map { free[$0] }
        var radius = MedianRadiusFormulation(
            problem: problem, candidates: columns, p: min(p, columns.count), served: served, reduce: reduce)
        notes += radius.notes
        // The heuristic as the MIP's start, when all its sites survived the fixing.
        let startColumns = startLocal.compactMap { kept.firstIndex(of: $0) }
        let mipStart = startColumns.count == startLocal.count ? startColumns : nil
        // 1. The LP with rows grown until no demand's last kept level is open (García et al. §3),
        // each round re-solved from the previous basis.
        let session = try solver.session(radius.model)
        var lpBound = 0.0
        var lpValues: [Double] = []
        var rounds = 0
        while true {
            rounds += 1
            let lp = try session.relaxation()
            guard let optimum = lp.optimal else {
                throw PlanningError("the p-median LP relaxation ended \(lp.outcome.stableDescription)")
            }
            lpBound = optimum.objective + radius.constant
            lpValues = optimum.values
            if !radius.extend(optimum.values, threshold: 1e-7) { break }
            try session.update(radius.model)
        }
        // 2. The MIP on the rows the LP needed, started from the heuristic; grown again if an
        // integer solution reaches past a demand's last level.
        var best = (open: heuristicOpen, value: heuristicCost)
        // An integral LP optimum is a solution already (the common case on geographic data).
        if radius.y.allSatisfy({ abs(lpValues[$0] - lpValues[$0].rounded()) < 1e-9 }) {
            let open = radius.y.indices.filter { lpValues[radius.y[$0]] > 0.5 }.map { columns[$0] }
            let value = evaluation.solution(open).objective
            if value < best.value { best = (open, value) }
        }
        // Both are lower bounds (the LP over the kept candidates for any solution better than the
        // heuristic's, the Lagrangian for every solution).
        var bound = reduce ? max(lpBound, min(lagrangian.bound, best.value)) : lpBound
        var outcome = SolverOutcome.optimal
        var mipRounds = 0
        while best.value > bound * (1 + 1e-9) + 1e-9 {
            mipRounds += 1
            let result = try session.solve(seconds: seconds, start: mipStart.map { radius.start(open: $0) })
            outcome = result.outcome
            // Only a proven answer: a time-limited incumbent would depend on the machine's speed.
            guard let s = result.solution, result.outcome == .optimal else { break }
            let open = radius.y.indices.filter { s.values[radius.y[$0]] > 0.5 }.map { columns[$0] }
            let value = evaluation.solution(open).objective
            if value < best.value { best = (open, value) }
            bound = max(bound, s.objective + radius.constant)
            guard radius.extend(s.values, threshold: 0.5) else { break }
            try session.update(radius.model)
            _ = try session.relaxation()
        }
        notes.append(
            "radius formulation: \(radius.levelsKept) of \(radius.levelsTotal) distance levels needed (\(rounds) LP and \(mipRounds) MIP rounds)"
        )
        let assignment = evaluation.solution(best.open).assignment
        let proven = best.value <= bound * (1 + 1e-9) + 1e-9
        let method =
            "greedy + fast interchange, radius formulation with row generation (GLPK): "
            + (proven ? "optimal" : "best found, \(outcome.stableDescription)")
        return LocationSolution(
            open: best.open.sorted(), objective: best.value, bound: proven ? best.value : bound, method: method,
            assignment: assignment, reductions: notes,
            unservable: rows.filter { !problem.reachable($0) })
    }

    // MARK: Shared

    /// No site to open: the fixed sites alone.
    static func trivial(_ problem: LocationProblem, _ evaluation: UncapacitatedEvaluation, notes: [String],
        unservable: [Int]) -> LocationSolution
    {
        let (objective, assignment) = evaluation.solution([])
        return LocationSolution(
            open: [], objective: objective, bound: objective, method: "nothing to choose", assignment: assignment,
            reductions: notes, unservable: unservable)
    }

    /// A covering or capacitated MIP's result as a solution: sites from its values, the
    /// objective recomputed from the distances when uncapacitated. When a limit stopped the
    /// search, the answer must not depend on how far the machine got: the deterministic `start`
    /// (the greedy cover) is reported with the LP bound; only without a start (capacitated) is
    /// the solver's incumbent kept, and the method says so.
    static func finish(
        _ problem: LocationProblem, _ result: SolverResult, model: LinearModel, constant: Double, notes: [String],
        unservable: [Int], formulation: String, solver: any LinearSolver, start: [Int]?,
        open: ([Double]) -> [Int], assignment: ([Double]) -> [[Allocation]]
    ) throws -> LocationSolution {
        let evaluation = UncapacitatedEvaluation(problem)
        let proven = result.outcome == .optimal
        if !proven, let start, !problem.capacitated {
            let lp = try solver.relaxation(model)
            let (objective, allocations) = evaluation.solution(start)
            let bound = lp.optimal.map { $0.objective + constant } ?? (problem.question.maximises ? .infinity : 0)
            return LocationSolution(
                open: start, objective: objective,
                bound: problem.question.maximises ? max(bound, objective) : min(bound, objective),
                method: "greedy, bounded by the LP relaxation (\(formulation), \(solver.name): \(result.outcome.stableDescription))",
                assignment: allocations, reductions: notes, unservable: unservable)
        }
        guard let s = result.solution else {
            let lp = try solver.relaxation(model)
            throw PlanningError(
                "the \(formulation) found no solution: \(result.outcome.stableDescription)"
                    + (lp.optimal.map { " (LP bound \($0.objective + constant))" } ?? ""))
        }
        let sites = open(s.values)
        var objective = s.objective + constant
        var allocations = assignment(s.values)
        if !problem.capacitated {
            (objective, allocations) = evaluation.solution(sites)
        }
        return LocationSolution(
            open: sites, objective: objective, bound: proven ? objective : s.bound + constant,
            method: "\(formulation) (\(solver.name)): "
                + (proven ? "optimal" : "best found when the time limit stopped the search, which depends on the machine's speed"),
            assignment: allocations, reductions: notes, unservable: unservable)
    }
}

/// The p-center problem solved exactly as a sequence of set covering decisions (Minieka 1970,
/// "The m-center problem", SIAM Review 12; Daskin 1995, *Network and Discrete Location* §5.3):
/// the optimal radius is one of the distinct demand–site distances, and a radius r is
/// achievable with p sites exactly when some cover at r uses at most p. A binary search over the
/// sorted distances, from 0 to the farthest-first heuristic's radius (Gonzalez 1985), takes
/// O(log(n·m)) decisions.
///
/// Each decision is a covering MIP with Σ y ≤ p that stops at its first solution
/// (``LinearModel/acceptableObjective``), after a greedy cover that often settles it at once; and it enforces
/// only a growing set of active demand points (client generation, Contardo, Iori & Kramer
/// 2019, "A scalable exact algorithm for the vertex p-center problem", Computers & OR 103):
/// with fewer rows it is a relaxation, so "no" is final; a "yes" whose sites also cover every
/// other point is final; otherwise the uncovered points become active and it is decided again.
/// Active points stay active for the later radii. With capacities every point is active.
///
/// Only demand of positive weight counts; demand no site can reach is reported, not covered.
enum CenterSearch {
    static func solve(_ problem: LocationProblem, p: Int, solver: any LinearSolver, seconds: Double, reduce: Bool)
        throws -> LocationSolution
    {
        let evaluation = UncapacitatedEvaluation(problem)
        let m = problem.candidateCount
        let rows = (0..<problem.demandCount).filter { problem.weights[$0] > 0 }
        let servable = rows.filter(problem.reachable)
        let unservable = rows.filter { !problem.reachable($0) }
        let free = problem.free
        guard !servable.isEmpty, min(p, free.count) > 0 || problem.fixed.contains(true) else {
            let (objective, assignment) = evaluation.solution([])
            return LocationSolution(
                open: [], objective: objective, bound: objective, method: "nothing to choose", assignment: assignment,
                reductions: [], unservable: unservable)
        }
        var radii: [Double] = []
        radii.reserveCapacity(servable.count * m)
        for i in servable {
            for j in 0..<m where problem.distance(i, j).isFinite { radii.append(problem.distance(i, j)) }
        }
        radii.sort()
        var distinct: [Double] = []
        for d in radii where distinct.last != d { distinct.append(d) }
        radii = distinct
        distinct = []
        // Farthest first: open the free site nearest the demand point farthest from any open
        // site; those farthest points are the first active ones.
        var active = Set(problem.capacitated ? servable : [])
        var hi = radii.count - 1
        if !problem.capacitated {
            var open: [Int] = []
            var near = evaluation.nearest(open)
            for _ in 0..<min(p, free.count) {
                guard let far = servable.max(by: { (near[$0].distance, $1) < (near[$1].distance, $0) }) else { break }
                active.insert(far)
                guard
                    let site = free.filter({ !open.contains($0) }).min(by: {
                        (problem.distance(far, $0), $0) < (problem.distance(far, $1), $1)
                    })
                else { break }
                open.append(site)
                for i in servable where problem.distance(i, site) < near[i].distance {
                    near[i] = (site, problem.distance(i, site))
                }
            }
            let reach = servable.map { near[$0].distance }.max() ?? 0
            hi = radii.firstIndex { $0 >= reach } ?? hi
        }
        var decisions = 0
        /// Whether radius `r` can be met with p sites, and the sites (and capacitated
        /// assignment) when it can; nil when a MIP stopped at its time limit undecided.
        func decide(_ r: Double) throws -> (Bool?, [Int], [[Allocation]]?) {
            while true {
                decisions += 1
                let weights = problem.weights.indices.map { active.contains($0) ? problem.weights[$0] : 0 }
                let covering = try LocationProblem(
                    question: .setCovering(radius: r), weights: weights, candidateCount: m,
                    distances: problem.distances, fixed: problem.fixed, capacities: problem.capacities)
                let reduction = CoverageReduction(
                    covering, radius: r, dropDominatedRows: !problem.capacitated, reduce: reduce)
                // A point with no site within r cannot be covered: r is too small.
                guard reduction.uncoverable.isEmpty else { return (false, [], nil) }
                var open: [Int]
                var assignment: [[Allocation]]?
                let greedy = FacilityLocator.greedyCover(reduction, fixed: problem.fixed, sites: nil)
                if reduction.groups.isEmpty {
                    open = []
                } else if !problem.capacitated && greedy.count <= p {
                    open = greedy
                } else {
                    // 1. The cover with Σ y ≤ p, stopped at its first solution: settles most
                    // radii, "no" through its LP bound in particular.
                    var lscp = CoveringModel(covering, reduction, sites: nil)
                    let free = lscp.siteColumn.filter { !problem.fixed[$0.key] }.map(\.value).sorted()
                    lscp.model.row(free.map { ($0, 1) }, upper: Double(p))
                    lscp.model.acceptableObjective = Double(p)
                    let slice = problem.capacitated ? seconds : seconds / 2
                    let result = try solver.solve(lscp.model, seconds: slice, start: nil)
                    switch result.outcome {
                    case .infeasible: return (false, [], nil)
                    case .optimal, .feasible:
                        guard let s = result.solution else { return (nil, [], nil) }
                        open = lscp.open(s.values, problem: problem)
                        if problem.capacitated {
                            assignment = lscp.assignment(s.values, problem: covering, reduction: reduction)
                        }
                    default:
                        guard !problem.capacitated else { return (nil, [], nil) }
                        // 2. Undecided: the most groups p sites can cover (an MCLP with unit
                        // weights), stopped as soon as every group is covered.
                        var unit = reduction
                        for k in unit.groups.indices { unit.groups[k].weight = 1 }
                        var mclp = CoveringModel(covering, unit, sites: p)
                        let total = Double(unit.groups.count)
                        mclp.model.acceptableObjective = total - 0.5
                        let start = mclp.start(
                            open: FacilityLocator.greedyCover(unit, fixed: problem.fixed, sites: p), problem: covering,
                            reduction: unit)
                        let second = try solver.solve(mclp.model, seconds: seconds - slice, start: start)
                        guard let s = second.solution else { return (nil, [], nil) }
                        if s.objective > total - 0.5 {
                            open = mclp.open(s.values, problem: problem)
                        } else if second.outcome == .optimal || s.bound < total - 0.5 {
                            return (false, [], nil)
                        } else {
                            return (nil, [], nil)
                        }
                    }
                }
                if problem.capacitated { return (true, open, assignment) }
                let near = evaluation.nearest(open)
                let uncovered = servable.filter { near[$0].distance > r }
                if uncovered.isEmpty { return (true, open, nil) }
                guard !uncovered.allSatisfy(active.contains) else {
                    throw PlanningError("the p-center covering at \(r) left enforced demand points uncovered")
                }
                active.formUnion(uncovered)
            }
        }
        // The top of the range must be feasible (the heuristic's radius, or the largest distance).
        let (top, firstOpen, firstAssignment) = try decide(radii[hi])
        var (best, bestAssignment) = (firstOpen, firstAssignment)
        guard top == true else {
            throw PlanningError(
                top == nil
                    ? "the p-center search could not decide its first radius within the time limit"
                    : "no \(p) sites can serve every demand point, whatever the radius, with these capacities")
        }
        // Every point needs at least its nearest site.
        let nearest = servable.map { i in (0..<m).map { problem.distance(i, $0) }.min() ?? .infinity }.max() ?? 0
        var lo = min(hi, radii.firstIndex { $0 >= nearest } ?? hi)
        var undecidedAt: Double?
        search: while lo < hi {
            let mid = (lo + hi) / 2
            let (feasible, open, assignment) = try decide(radii[mid])
            switch feasible {
            case true?:
                hi = mid
                best = open
                bestAssignment = assignment
            case false?: lo = mid + 1
            case nil:
                // Radii below radii[lo] are proven out of reach: that is the bound.
                undecidedAt = radii[lo]
                break search
            }
        }
        var objective = radii[hi]
        var assignment = bestAssignment ?? []
        if !problem.capacitated {
            (objective, assignment) = evaluation.solution(best)
        }
        let bound = undecidedAt ?? objective
        return LocationSolution(
            open: best, objective: objective, bound: min(bound, objective),
            method: "binary search over \(radii.count) distinct distances, \(decisions) set covering decisions (\(solver.name)): "
                + (undecidedAt != nil ? "a decision was not reached within the time limit" : "optimal"),
            assignment: assignment,
            reductions: ["\(active.count) of \(servable.count) demand points enforced by the coverings"],
            unservable: unservable)
    }
}

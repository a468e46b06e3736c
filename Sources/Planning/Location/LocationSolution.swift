/// Weight of one demand point served by one site.
public struct Allocation: Sendable, Equatable {
    /// Candidate index (a new or a fixed site).
    public var site: Int
    public var weight: Double
    public var distance: Double
}

/// A solved location problem: the new sites, every demand point's assignment, the objective
/// and how well it is known (a bound on the optimum, from the LP relaxation, a Lagrangian or
/// the MIP's search; equal to the objective when proven optimal).
public struct LocationSolution: Sendable {
    /// New sites opened (candidate indices, sorted; fixed sites are not listed).
    public var open: [Int]
    /// Covered weight (MCLP), weighted distance (p-median), number of new sites (LSCP) or the
    /// largest distance (p-center).
    public var objective: Double
    /// Upper bound for MCLP, lower bound for the others.
    public var bound: Double
    /// How it was solved: reductions, formulation, solver and outcome, in words that do not
    /// depend on the machine's speed.
    public var method: String
    /// For each demand point, the sites serving it (empty: uncovered or unreachable).
    public var assignment: [[Allocation]]
    /// What the reductions did (e.g. "1,040 demand points → 712 groups"), for the summary.
    public var reductions: [String]
    /// Demand points no candidate can serve (beyond the radius or unreachable from every site).
    public var unservable: [Int]

    /// Relative gap between the objective and the bound (0 when proven optimal).
    public var gap: Double {
        guard abs(objective - bound) > 1e-9 * max(1, abs(objective)) else { return 0 }
        return abs(bound - objective) / max(abs(objective), abs(bound), 1e-9)
    }

    public var provenOptimal: Bool { gap == 0 }
}

/// The objective of an open set without capacities: every demand point goes to its nearest
/// open or fixed site. O(demand × (open + fixed)).
struct UncapacitatedEvaluation {
    let problem: LocationProblem
    let fixedSites: [Int]

    init(_ problem: LocationProblem) {
        self.problem = problem
        fixedSites = (0..<problem.candidateCount).filter { problem.fixed[$0] }
    }

    /// Nearest open-or-fixed site of each demand point and its distance (-1, ∞ when none).
    func nearest(_ open: [Int]) -> [(site: Int, distance: Double)] {
        (0..<problem.demandCount).map { i in
            var best = (site: -1, distance: Double.infinity)
            for j in fixedSites where problem.distance(i, j) < best.distance { best = (j, problem.distance(i, j)) }
            for j in open where problem.distance(i, j) < best.distance { best = (j, problem.distance(i, j)) }
            return best
        }
    }

    /// The objective and assignment of `open`.
    func solution(_ open: [Int]) -> (objective: Double, assignment: [[Allocation]]) {
        let near = nearest(open)
        let w = problem.weights
        switch problem.question {
        case .maximalCovering(_, let r):
            var covered = 0.0
            let assignment: [[Allocation]] = near.indices.map { i in
                guard near[i].distance <= r, near[i].site >= 0 else { return [] }
                covered += w[i]
                return [Allocation(site: near[i].site, weight: w[i], distance: near[i].distance)]
            }
            return (covered, assignment)
        case .setCovering(let r):
            let assignment: [[Allocation]] = near.indices.map { i in
                guard near[i].distance <= r, near[i].site >= 0 else { return [] }
                return [Allocation(site: near[i].site, weight: w[i], distance: near[i].distance)]
            }
            return (Double(open.count), assignment)
        case .median:
            let penalty = problem.unreachablePenalty
            var total = 0.0
            let assignment: [[Allocation]] = near.indices.map { i in
                guard near[i].site >= 0, near[i].distance.isFinite else {
                    total += w[i] * penalty
                    return []
                }
                total += w[i] * near[i].distance
                return [Allocation(site: near[i].site, weight: w[i], distance: near[i].distance)]
            }
            return (total, assignment)
        case .center:
            var worst = 0.0
            let assignment: [[Allocation]] = near.indices.map { i in
                if w[i] > 0 { worst = max(worst, near[i].distance) }
                guard near[i].site >= 0, near[i].distance.isFinite else { return [] }
                return [Allocation(site: near[i].site, weight: w[i], distance: near[i].distance)]
            }
            return (worst, assignment)
        }
    }
}

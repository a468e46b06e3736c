/// How many people of each demand point the existing establishments can serve: establishment j
/// serves at most `capacities[j]` people within `radius` (travel minutes). The most people are served, and
/// among such allocations the one with the least person-minutes (a min-cost maximum flow on
/// the bipartite graph of pairs within reach, stated as an LP: max Σ x_ij (1 − ε t_ij) with
/// Σ_j x_ij ≤ w_i and Σ_i x_ij ≤ capacity_j, ε small enough that one more person served always
/// outweighs any saving in minutes). With a solver the LP is solved exactly; without one,
/// pairs are taken nearest first (ties by point, then establishment), which serves as many in
/// most cases and never more. O(pairs) variables.
public enum ExistingCapacity {
    /// People of each demand point the existing establishments serve.
    /// `minutes[i][j]`: demand point i to existing establishment j.
    public static func served(
        weights: [Double], minutes: [[Double]], capacities: [Double], radius: Double, solver: (any LinearSolver)?
    ) throws -> [Double] {
        try allocate(weights: weights, minutes: minutes, capacities: capacities, radius: radius, solver: solver)
            .perPoint
    }

    /// The allocation's people per demand point and per establishment.
    public static func allocate(
        weights: [Double], minutes: [[Double]], capacities: [Double], radius: Double, solver: (any LinearSolver)?
    ) throws -> (perPoint: [Double], perEstablishment: [Double]) {
        let n = weights.count
        let m = minutes.first?.count ?? 0
        let none = ([Double](repeating: 0, count: n), [Double](repeating: 0, count: m))
        guard n > 0, m > 0, capacities.count == m else { return none }
        var pairs: [(i: Int, j: Int, t: Double)] = []
        for i in 0..<n where weights[i] > 0 {
            for j in 0..<m where minutes[i][j] <= radius && capacities[j] > 0 { pairs.append((i, j, minutes[i][j])) }
        }
        if pairs.isEmpty { return none }
        if let solver {
            var model = LinearModel(maximise: true)
            let epsilon = 1e-6 / max(radius, 1)
            let x = pairs.map { p in
                model.variable(lower: 0, upper: weights[p.i], objective: 1 - epsilon * p.t)
            }
            var byPoint = [[(Int, Double)]](repeating: [], count: n)
            var byEstablishment = [[(Int, Double)]](repeating: [], count: m)
            for (k, p) in pairs.enumerated() {
                byPoint[p.i].append((x[k], 1))
                byEstablishment[p.j].append((x[k], 1))
            }
            for i in 0..<n where !byPoint[i].isEmpty { model.row(byPoint[i], upper: weights[i]) }
            for j in 0..<m where !byEstablishment[j].isEmpty { model.row(byEstablishment[j], upper: capacities[j]) }
            if let solution = try solver.relaxation(model).optimal {
                var served = [Double](repeating: 0, count: n), load = [Double](repeating: 0, count: m)
                for (k, p) in pairs.enumerated() {
                    let v = max(0, solution.values[x[k]])
                    served[p.i] += v
                    load[p.j] += v
                }
                return (
                    served.indices.map { min(weights[$0], served[$0]) },
                    load.indices.map { min(capacities[$0], load[$0]) }
                )
            }
        }
        // Nearest first.
        var left = weights
        var room = capacities
        var served = [Double](repeating: 0, count: n), load = [Double](repeating: 0, count: m)
        for p in pairs.sorted(by: { ($0.t, $0.i, $0.j) < ($1.t, $1.i, $1.j) }) {
            let take = min(left[p.i], room[p.j])
            guard take > 0 else { continue }
            left[p.i] -= take
            room[p.j] -= take
            served[p.i] += take
            load[p.j] += take
        }
        return (served, load)
    }
}

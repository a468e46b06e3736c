/// A lower bound on the p-median and the candidates it proves useless, by Lagrangian
/// relaxation of the assignment constraints with subgradient optimisation (Beasley 1993,
/// "Lagrangean heuristics for location problems", EJOR 65; Cornuéjols, Fisher & Nemhauser 1977).
///
/// With multipliers λ_i on Σ_j x_ij + x_i0 = 1 (x_i0: demand i served at its cap c_i, the
/// nearest fixed site or the unreachable penalty),
///
///     L(λ) = Σ_i λ_i + Σ_i min(0, w_i c_i − λ_i) + Σ_{p smallest} ρ_j,   ρ_j = Σ_i min(0, w_i d_ij − λ_i),
///
/// a lower bound for every λ. Variable fixing: forcing candidate j into the p chosen changes the
/// bound to L + ρ_j − ρ_(p) (the p-th smallest ρ leaves); when that reaches the incumbent's cost,
/// no solution better than the incumbent opens j, so j leaves the exact model. For small p,
/// where the radius formulation needs most distance levels, this removes most candidates.
/// Each iteration is O(n·m); the step follows Held, Wolfe & Crowder (1974), halving μ after
/// 30 iterations without improvement.
struct MedianLagrangian {
    /// The best bound found.
    private(set) var bound = -Double.infinity
    /// Local candidate columns that may still be in a solution better than the incumbent.
    private(set) var kept: [Int] = []
    private(set) var iterations = 0

    init(_ h: MedianHeuristic, p: Int, incumbent: Double, maxIterations: Int = 400) {
        let n = h.weights.count, m = h.candidates.count
        let p = min(p, m)
        // Start: each demand point's cost at its second-nearest candidate (or its cap).
        var lambda = (0..<n).map { i -> Double in
            var a = h.cap[i], b = h.cap[i]
            for c in 0..<m {
                let d = h.matrix[i * m + c]
                if d < a {
                    b = a
                    a = d
                } else if d < b {
                    b = d
                }
            }
            return h.weights[i] * b
        }
        var bestLambda = lambda
        var schedule = SubgradientSchedule()
        var rho = [Double](repeating: 0, count: m)
        var chosen = [Bool](repeating: false, count: m)
        var subgradient = [Double](repeating: 0, count: n)
        func evaluate(_ lambda: [Double]) -> Double {
            for c in 0..<m { rho[c] = 0 }
            var total = 0.0
            h.matrix.withUnsafeBufferPointer { d in
                for i in 0..<n {
                    total += lambda[i] + min(0, h.weights[i] * h.cap[i] - lambda[i])
                    let w = h.weights[i], l = lambda[i]
                    let row = i * m
                    for c in 0..<m {
                        let v = w * d[row + c] - l
                        if v < 0 { rho[c] += v }
                    }
                }
            }
            // The p smallest ρ (ties to the lower index).
            let order = (0..<m).sorted { (rho[$0], $0) < (rho[$1], $1) }
            for c in 0..<m { chosen[c] = false }
            for c in order.prefix(p) {
                chosen[c] = true
                total += rho[c]
            }
            return total
        }
        while iterations < maxIterations {
            iterations += 1
            let value = evaluate(lambda)
            if schedule.record(value) {
                bound = value
                bestLambda = lambda
            }
            if schedule.finished(target: incumbent) { break }
            // g_i = 1 − Σ_j x_ij − x_i0 with x at the relaxation's optimum.
            var norm = 0.0
            h.matrix.withUnsafeBufferPointer { d in
                for i in 0..<n {
                    var served = h.weights[i] * h.cap[i] - lambda[i] < 0 ? 1.0 : 0
                    let w = h.weights[i], l = lambda[i], row = i * m
                    for c in 0..<m where chosen[c] && w * d[row + c] - l < 0 { served += 1 }
                    subgradient[i] = 1 - served
                    norm += subgradient[i] * subgradient[i]
                }
            }
            guard norm > 0 else { break }
            let step = schedule.mu * (incumbent - value) / norm
            for i in 0..<n { lambda[i] = max(0, lambda[i] + step * subgradient[i]) }
        }
        // Fixing at the best multipliers.
        _ = evaluate(bestLambda)
        let order = (0..<m).sorted { (rho[$0], $0) < (rho[$1], $1) }
        let pth = p > 0 ? rho[order[p - 1]] : 0
        let threshold = incumbent - 1e-9 * max(1, abs(incumbent))
        kept = (0..<m).filter { c in chosen[c] || bound + rho[c] - pth < threshold }
    }
}

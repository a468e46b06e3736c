/// A lower bound on the spread terms of a partition whose parts each hold between `least` and
/// `most` people: the capacitated p-median bound by Lagrangian relaxation of the assignment
/// constraints (Beasley 1993, "Lagrangean heuristics for location problems", EJOR 65), each
/// seat's knapsack relaxed to its linear programme (Dantzig 1957).
///
/// A part j with seat s_j and population P_j ∈ [least, most] has spread
/// (1 / P_j) Σ_{i ∈ j} wᵢ g(d_{i s_j}) ≥ (1 / most) Σ_{i ∈ j} wᵢ g(d_{i s_j}), so the spread of the
/// partition is at least that of the best choice of k seats with every unit assigned to one of
/// them, each seat's units weighing between `least` and `most` — a capacitated p-median with
/// lower and upper capacities and costs c_{ij} = wᵢ g_{ij} / most. With multipliers λᵢ on
/// Σ_j x_{ij} = 1,
///
///     L(λ) = Σᵢ λᵢ + Σ_{k smallest} ρ_j,
///     ρ_j = min { Σᵢ (c_{ij} − λᵢ) x_{ij} : x_{jj} = 1, least ≤ Σᵢ wᵢ x_{ij} ≤ most, 0 ≤ x ≤ 1 },
///
/// is a lower bound for every λ (the seat always belongs to its own part, and is its most
/// populous unit, as ``Partitioner`` seats its parts, so only lighter units join it). The window
/// is cut into bands: a part in the band [a, b] is divided by b instead of `most`, and ρ_j is the
/// least over the bands. Each ρ_j is then a fractional knapsack with a weight window: the units
/// taken in increasing order of (c_{ij} − λᵢ) / wᵢ while that ratio is negative and the part is
/// under the band's top, then on until it reaches the band's bottom. Where the parts must
/// balance (the cities' distritos of many small pieces), the window is what the uncapacitated
/// p-median misses: without it one seat takes the dense core and another a few sparse people,
/// and the bound is near zero.
///
/// Subgradient optimisation with the Polyak step towards `upper` (a value the relaxation cannot
/// exceed, the incumbent's), halving the step after 30 iterations without improvement (Held,
/// Wolfe & Crowder 1974). O(bands · n²) expected per iteration for n units.
struct CapacitatedSpreadBound {
    /// The best bound found (0 when no λ gave a finite one).
    private(set) var bound = 0.0
    private(set) var iterations = 0
    /// The multipliers of the best bound, to start a related bound from.
    private(set) var multipliers: [Double] = []

    /// - Parameters:
    ///   - weights: the units' populations.
    ///   - spread: `n × n`, row i column j: g(d_{ij}), the spread of one person of unit i at seat j.
    ///   - parts: k, the number of parts.
    ///   - least, most: the window every part's population lies in.
    ///   - upper: an upper bound on the relaxation's optimum (the incumbent's spread).
    ///   - bands: the window is cut into this many bands of equal width, a part in a band
    ///     divided by the band's top instead of by `most` (ρ_j the least over the bands).
    ///   - start: multipliers to start from (a previous bound's), else each unit's weight times
    ///     its spread at its nearest other unit, over `most`.
    init(
        weights: [Double], spread: [Double], parts: Int, least: Double, most: Double, upper: Double,
        bands: Int = 4, start: [Double]? = nil, maxIterations: Int = 300
    ) {
        let n = weights.count
        guard parts >= 1, parts <= n, spread.count == n * n, least >= 0, most > 0, least <= most, bands >= 1,
            upper.isFinite
        else { return }
        let edges = (0...bands).map { least + (most - least) * Double($0) / Double(bands) }
        var lambda =
            start?.count == n
            ? start ?? []
            : (0..<n).map { i -> Double in
                var nearest = Double.infinity
                for j in 0..<n where j != i { nearest = min(nearest, spread[i * n + j]) }
                return nearest.isFinite ? weights[i] * nearest / most : 0
            }
        // Units lightest first (ties: the higher index first), so the units that may join
        // seat j, those lighter than it, are the prefix before j's rank.
        let light = (0..<n).sorted { (weights[$0], -$0) < (weights[$1], -$1) }
        let knapsack = Knapsack(weights: weights, spread: spread, lightestFirst: light)
        var bestLambda = lambda
        var rho = [Double](repeating: 0, count: n)
        var take = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var schedule = SubgradientSchedule()
        var subgradient = [Double](repeating: 0, count: n)
        while iterations < maxIterations {
            iterations += 1
            for rank in 0..<n {
                let j = light[rank]
                rho[j] = .infinity
                for b in 0..<bands {
                    let v = knapsack.solve(seat: j, rank: rank, low: edges[b], high: edges[b + 1], lambda: lambda)
                    if v < rho[j] {
                        rho[j] = v
                        knapsack.copyTaken(into: &take[j])
                    }
                }
            }
            let seats = (0..<n).filter { rho[$0].isFinite }.sorted { (rho[$0], $0) < (rho[$1], $1) }.prefix(parts)
            guard seats.count == parts else { break }
            let value = lambda.reduce(0, +) + seats.reduce(0) { $0 + rho[$1] }
            if schedule.record(value) { bestLambda = lambda }
            if schedule.finished(target: upper) { break }
            var norm = 0.0
            for i in 0..<n {
                subgradient[i] = 1 - seats.reduce(0) { $0 + take[$1][i] }
                norm += subgradient[i] * subgradient[i]
            }
            guard norm > 1e-18 else { break }
            let step = schedule.mu * max(upper - value, 1e-9 * max(1, abs(upper))) / norm
            for i in 0..<n { lambda[i] += step * subgradient[i] }
        }
        bound = schedule.best.isFinite ? max(0, schedule.best) : 0
        multipliers = bestLambda
    }

    /// One seat's fractional knapsack with a weight window, on buffers allocated once (the
    /// subgradient loop solves n × bands of them per step).
    private final class Knapsack {
        let n: Int
        let weights: UnsafeMutableBufferPointer<Double>
        let spread: UnsafeMutableBufferPointer<Double>
        let light: UnsafeMutableBufferPointer<Int>
        let taken: UnsafeMutableBufferPointer<Double>
        let ratio: UnsafeMutableBufferPointer<Double>
        let order: UnsafeMutableBufferPointer<Int>
        var load = 0.0, value = 0.0

        init(weights: [Double], spread: [Double], lightestFirst: [Int]) {
            n = weights.count
            self.weights = .allocate(capacity: n)
            _ = self.weights.initialize(from: weights)
            self.spread = .allocate(capacity: n * n)
            _ = self.spread.initialize(from: spread)
            light = .allocate(capacity: n)
            _ = light.initialize(from: lightestFirst)
            taken = .allocate(capacity: n)
            taken.initialize(repeating: 0)
            ratio = .allocate(capacity: n)
            ratio.initialize(repeating: 0)
            order = .allocate(capacity: n)
            order.initialize(repeating: 0)
        }

        deinit {
            for buffer in [weights, spread, taken, ratio] { buffer.deallocate() }
            light.deallocate()
            order.deallocate()
        }

        func copyTaken(into x: inout [Double]) {
            for i in 0..<n { x[i] = taken[i] }
        }

        /// ρ_j: the least Σ (wᵢ g_{ij} / high − λᵢ) xᵢ over x with x_j = 1, xᵢ = 0 for units not
        /// lighter than j (those before `rank` in the lightest-first order are), and
        /// low ≤ Σ wᵢ xᵢ ≤ high; x in `taken`, +∞ when the window cannot be met. The units of
        /// negative ratio (wᵢ g_{ij} / high − λᵢ) / wᵢ fill the part up to `high`, cheapest first,
        /// then the others up to `low`. O(n) expected.
        func solve(seat j: Int, rank: Int, low: Double, high: Double, lambda: [Double]) -> Double {
            guard weights[j] <= high else { return .infinity }
            for i in 0..<n { taken[i] = 0 }
            taken[j] = 1
            load = weights[j]
            value = -lambda[j]
            var negative = 0, rest = rank
            for r in 0..<rank {
                let i = light[r]
                guard weights[i] > 0 else {
                    // Units without people cost −λᵢ whatever the load: taken when that is negative.
                    if lambda[i] > 0 {
                        taken[i] = 1
                        value -= lambda[i]
                    }
                    continue
                }
                ratio[i] = (weights[i] * spread[i * n + j] / high - lambda[i]) / weights[i]
                // Negative ratios at the front of `order`, the others at the back.
                if ratio[i] < 0 {
                    order[negative] = i
                    negative += 1
                } else {
                    rest -= 1
                    order[rest] = i
                }
            }
            fill(from: 0, to: negative, limit: high)
            if load < low { fill(from: rest, to: rank, limit: low) }
            return load >= low * (1 - 1e-12) ? value : .infinity
        }

        /// Takes units of order[from..<to] in increasing ratio until the part holds `limit`
        /// people: the cheapest fill by weighted quickselect (three-way partition around the
        /// median of three; Balas & Zemel 1980), O(to − from) expected instead of a sort.
        private func fill(from: Int, to: Int, limit: Double) {
            var lo = from, hi = to
            while lo < hi, load < limit {
                var weight = 0.0
                for k in lo..<hi { weight += weights[order[k]] }
                if load + weight <= limit {
                    takeAll(lo, hi)
                    return
                }
                let a = ratio[order[lo]], b = ratio[order[(lo + hi) / 2]], c = ratio[order[hi - 1]]
                let pivot = max(min(a, b), min(max(a, b), c))
                // order[lo..<less]: below the pivot; [less, more): equal; [more, hi): above.
                var less = lo, more = hi, k = lo
                while k < more {
                    let r = ratio[order[k]]
                    if r < pivot {
                        order.swapAt(k, less)
                        less += 1
                        k += 1
                    } else if r > pivot {
                        more -= 1
                        order.swapAt(k, more)
                    } else {
                        k += 1
                    }
                }
                var below = 0.0
                for k in lo..<less { below += weights[order[k]] }
                if load + below >= limit {
                    hi = less
                    continue
                }
                takeAll(lo, less)
                for k in less..<more where load < limit {
                    let i = order[k]
                    let fraction = min(1, (limit - load) / weights[i])
                    taken[i] = fraction
                    load += fraction * weights[i]
                    value += fraction * weights[i] * ratio[i]
                }
                lo = more
            }
        }

        private func takeAll(_ lo: Int, _ hi: Int) {
            for k in lo..<hi {
                let i = order[k]
                taken[i] = 1
                load += weights[i]
                value += weights[i] * ratio[i]
            }
        }
    }
}

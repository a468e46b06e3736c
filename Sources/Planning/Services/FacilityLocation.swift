/// Which sites to open among candidates, with existing establishments fixed.
public enum PlacementObjective: String, Sendable, CaseIterable {
    /// Maximal covering location problem (Church & ReVelle 1974): open `p` sites to cover the
    /// most demand within the radius.
    case coverage
    /// p-median (Hakimi 1964; ReVelle & Swain 1970): open `p` sites to minimise the
    /// demand-weighted distance to the nearest open or existing site.
    case median
}

/// One facility location problem: demand points with weights, candidate sites, `p` to open.
public struct FacilityProblem: Sendable {
    public var weights: [Double]
    /// distance[i][j]: demand i to candidate j (travel minutes in placement; any unit in which
    /// `radius` is given).
    public var distance: [[Double]]
    /// Distance from each demand point to its nearest existing establishment (∞ if none).
    public var existing: [Double]
    public var p: Int
    public var radius: Double
    public var objective: PlacementObjective
    /// People one new establishment can serve (nil: unlimited): the capacitated MCLP (Current &
    /// Storbeck 1988) and capacitated p-median. Existing establishments are not limited: their
    /// load is not the placement's to decide.
    public var capacity: Double?

    public init(
        weights: [Double], distance: [[Double]], existing: [Double], p: Int, radius: Double,
        objective: PlacementObjective, capacity: Double? = nil
    ) {
        self.weights = weights
        self.distance = distance
        self.existing = existing
        self.p = p
        self.radius = radius
        self.objective = objective
        self.capacity = capacity.flatMap { $0 > 0 ? $0 : nil }
    }

    public var candidates: Int { distance.first?.count ?? 0 }

    /// Per-person cost of demand a capacitated median cannot place (no existing establishment,
    /// new ones full): twice the longest distance in the problem.
    var overflowCost: Double {
        2 * max(1, distance.lazy.flatMap { $0 }.filter(\.isFinite).max() ?? 1)
    }

    /// Covered demand (coverage) or total weighted distance (median) with `open` sites; with a
    /// capacity, demand is assigned by ``assign(_:)``.
    public func value(_ open: [Int]) -> Double {
        if capacity != nil { return assign(open).value }
        var total = 0.0
        for i in weights.indices {
            var best = existing[i]
            for j in open where distance[i][j] < best { best = distance[i][j] }
            if objective == .coverage {
                if best <= radius { total += weights[i] }
            } else {
                total += weights[i] * (best.isFinite ? best : 0)
            }
        }
        return total
    }

    /// Demand served by each open site (nearest first; with a capacity, the closest pairs are
    /// filled first until each site is full, a feasible assignment) and the resulting value.
    public func assign(_ open: [Int]) -> (served: [Int: Double], value: Double) {
        var left = [Double](repeating: 0, count: weights.count)
        var served: [Int: Double] = [:]
        var total = 0.0
        var pairs: [(Double, Int, Int)] = []
        for i in weights.indices {
            if objective == .coverage && existing[i] <= radius {
                total += weights[i]
                continue
            }
            left[i] = weights[i]
            for j in open {
                let d = distance[i][j]
                if objective == .coverage ? d <= radius : d < existing[i] { pairs.append((d, i, j)) }
            }
        }
        pairs.sort { $0 < $1 }
        var room: [Int: Double] = [:]
        for j in open { room[j] = capacity ?? .infinity }
        for (d, i, j) in pairs where left[i] > 0 {
            let amount = min(left[i], room[j] ?? 0)
            guard amount > 0 else { continue }
            left[i] -= amount
            room[j, default: 0] -= amount
            served[j, default: 0] += amount
            total += objective == .coverage ? amount : amount * d
        }
        if objective == .median {
            for i in weights.indices where left[i] > 0 {
                total += left[i] * (existing[i].isFinite ? existing[i] : (capacity == nil ? 0 : overflowCost))
            }
        }
        return (served, total)
    }

    /// Whether `a` is a better value than `b`.
    func better(_ a: Double, _ b: Double) -> Bool { objective == .coverage ? a > b + 1e-9 : a < b - 1e-9 }
}

/// A solved placement and how well it is known.
public struct FacilitySolution: Sendable {
    public var open: [Int]
    public var value: Double
    /// Bound on the optimum: an upper bound for coverage, a lower bound for the median.
    public var bound: Double
    public var method: String
    public var gap: Double {
        guard !(abs(value - bound) < 1e-9) else { return 0 }
        let scale = max(abs(value), abs(bound), 1e-9)
        return abs(bound - value) / scale
    }
}

/// Solves placement's ``FacilityProblem``s: through the engine (``FacilityLocator``) when a
/// ``LinearSolver`` is given, whatever the size; without one, by enumeration of every set of
/// `p` sites when there are few, else by vertex substitution (Teitz & Bart 1968) from the
/// greedy start.
public enum FacilityLocation {
    /// Greedy: add, one at a time, the site that improves the value most.
    public static func greedy(_ f: FacilityProblem) -> [Int] {
        var open: [Int] = []
        for _ in 0..<min(f.p, f.candidates) {
            var best = -1, bestValue = f.objective == .coverage ? -Double.infinity : Double.infinity
            for j in 0..<f.candidates where !open.contains(j) {
                let v = f.value(open + [j])
                if best < 0 || f.better(v, bestValue) {
                    best = j
                    bestValue = v
                }
            }
            open.append(best)
        }
        return open.sorted()
    }

    /// Vertex substitution: swap an open site for a closed one while the value improves.
    public static func substitution(_ f: FacilityProblem, start: [Int]) -> [Int] {
        var open = start
        var value = f.value(open)
        var improved = true
        while improved {
            improved = false
            for k in open.indices {
                for j in 0..<f.candidates where !open.contains(j) {
                    var trial = open
                    trial[k] = j
                    let v = f.value(trial)
                    if f.better(v, value) {
                        open = trial
                        value = v
                        improved = true
                    }
                }
            }
        }
        return open.sorted()
    }

    /// Number of p-subsets, saturating.
    static func subsets(_ n: Int, _ p: Int) -> Double {
        guard p >= 0, p <= n else { return 0 }
        var c = 1.0
        for k in 0..<p { c = c * Double(n - k) / Double(k + 1) }
        return c
    }

    /// With a solver, through the project's engine (``FacilityLocator``): the existing
    /// establishments become one fixed, unlimited site at each demand point's nearest-existing
    /// distance, and the engine's reductions, formulations and bounds apply. Without one, by
    /// enumeration when there are few subsets, else vertex substitution from the greedy start.
    public static func solve(_ f: FacilityProblem, solver: (any LinearSolver)?, seconds: Double = 10) throws
        -> FacilitySolution
    {
        let p = min(f.p, f.candidates)
        guard p > 0 else { return FacilitySolution(open: [], value: f.value([]), bound: f.value([]), method: "none") }
        if let solver {
            let hasExisting = f.existing.contains { $0.isFinite }
            let m = f.candidates + (hasExisting ? 1 : 0)
            var distances: [Double] = []
            distances.reserveCapacity(f.weights.count * m)
            for i in f.weights.indices {
                distances += f.distance[i]
                if hasExisting { distances.append(f.existing[i]) }
            }
            let question: LocationQuestion =
                f.objective == .coverage ? .maximalCovering(sites: p, radius: f.radius) : .median(sites: p)
            let problem = try LocationProblem(
                question: question, weights: f.weights, candidateCount: m, distances: distances,
                fixed: (0..<m).map { $0 >= f.candidates },
                capacities: f.capacity.map { c in (0..<m).map { $0 >= f.candidates ? .infinity : c } })
            let s = try FacilityLocator.solve(problem, solver: solver, seconds: seconds)
            // A site beyond what adds anything is still one of the p: the first unused candidates.
            var open = s.open
            for j in 0..<f.candidates where open.count < p && !open.contains(j) { open.append(j) }
            return FacilitySolution(open: open.sorted(), value: s.objective, bound: s.bound, method: s.method)
        }
        if subsets(f.candidates, p) <= 50_000 {
            var best: [Int] = [], bestValue = f.objective == .coverage ? -Double.infinity : Double.infinity
            var current: [Int] = []
            func recurse(_ from: Int) {
                if current.count == p {
                    let v = f.value(current)
                    if best.isEmpty || f.better(v, bestValue) {
                        best = current
                        bestValue = v
                    }
                    return
                }
                guard from < f.candidates else { return }
                for j in from..<f.candidates where f.candidates - j >= p - current.count {
                    current.append(j)
                    recurse(j + 1)
                    current.removeLast()
                }
            }
            recurse(0)
            return FacilitySolution(open: best, value: bestValue, bound: bestValue, method: "enumeration")
        }
        let open = substitution(f, start: greedy(f))
        // Without a solver the only bound is the trivial one.
        let bound = f.objective == .coverage ? f.weights.reduce(0, +) : 0
        return FacilitySolution(open: open, value: f.value(open), bound: bound, method: "vertex substitution")
    }
}

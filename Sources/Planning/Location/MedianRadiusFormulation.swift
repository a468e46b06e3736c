/// The exact uncapacitated p-median by the radius formulation with row generation.
///
/// Formulation (Elloumi 2010, "A tighter formulation of the p-median problem", J. Comb. Optim.
/// 19; García, Labbé & Marín 2011, "Solving large p-median problems with a radius
/// formulation", INFORMS J. Computing 23(4)): for demand i, let D¹ < D² < … < Dᴳ be the
/// distinct distances to the candidates nearer than its cap (its nearest fixed site, or the
/// unreachable penalty), and Dᴳ⁺¹ the cap. z_iᵏ = 1 when no open site lies within Dᵏ:
///
///     minimise Σ_i w_i (D¹ + Σ_k (Dᵏ⁺¹ − Dᵏ) z_iᵏ)
///     1 − z_i¹ ≤ Σ_{d_ij = D¹} y_j,   z_iᵏ⁻¹ − z_iᵏ ≤ Σ_{d_ij = Dᵏ} y_j,   Σ y_j = p.
///
/// Each y appears once per demand row, so the model has O(Σ_i Kᵢ) non-zeros instead of the
/// O(n·m) of the classic assignment model; its LP bound is the classic one.
///
/// Row generation (García et al. §3): demand i keeps only its first Kᵢ levels, starting at the
/// level of its distance in the heuristic solution. Truncation keeps the model a relaxation
/// (the cost is capped at Dᴷ⁺¹), so its optimum is a lower bound. When a solution has
/// z_iᴷ > 0, more levels of i are added and the model solved again; when none does, the
/// solution is feasible for the full model at the same cost, hence optimal (for the LP, and
/// then for the MIP). Demand points with identical rows are merged first.
struct MedianRadiusFormulation {
    struct Demand {
        var weight: Double
        var members: [Int]
        /// Distinct distances below the cap, ascending, and the candidates at each (local columns).
        var levels: [Double]
        var atLevel: [[Int]]
        var cap: Double
        /// Levels in the model.
        var kept: Int
    }

    var demand: [Demand]
    let candidates: [Int]
    let p: Int
    var notes: [String] = []

    /// `cap[i]`: distance to the nearest fixed site or the unreachable penalty, per problem row.
    /// `reduce` false keeps every level from the start and every demand row apart.
    /// `served[k]`: the heuristic's distance for the k-th demand point of positive weight (the
    /// first levels kept reach it).
    init(problem: LocationProblem, candidates: [Int], p: Int, served: [Double], reduce: Bool = true) {
        self.candidates = candidates
        self.p = p
        let penalty = problem.unreachablePenalty
        let fixedSites = (0..<problem.candidateCount).filter { problem.fixed[$0] }
        var byRow: [[Double]: Int] = [:]
        var demand: [Demand] = []
        var positive = 0
        for i in 0..<problem.demandCount where problem.weights[i] > 0 {
            positive += 1
            var cap = penalty
            for j in fixedSites { cap = min(cap, problem.distance(i, j)) }
            var row = candidates.map { min(problem.distance(i, $0), cap) }
            row.append(cap)
            if reduce, let k = byRow[row] {
                demand[k].weight += problem.weights[i]
                demand[k].members.append(i)
                continue
            }
            let order = row.indices.dropLast().filter { row[$0] < cap }.sorted { (row[$0], $0) < (row[$1], $1) }
            var levels: [Double] = [], atLevel: [[Int]] = []
            for c in order {
                if levels.last != row[c] {
                    levels.append(row[c])
                    atLevel.append([])
                }
                atLevel[atLevel.count - 1].append(c)
            }
            // Start at the level of the heuristic's distance: that solution is then exact.
            let reach = served[positive - 1]
            let kept = reduce ? (levels.firstIndex { $0 >= reach }.map { $0 + 1 } ?? levels.count) : levels.count
            byRow[row] = demand.count
            demand.append(
                Demand(weight: problem.weights[i], members: [i], levels: levels, atLevel: atLevel, cap: cap, kept: kept))
        }
        self.demand = demand
        buildModel()
        notes.append("\(positive) demand points of positive weight → \(demand.count) distinct distance rows")
    }

    /// The truncated model: it only grows (``extend(_:threshold:)`` appends levels), so a
    /// ``LinearSession`` re-solves it from its last basis.
    private(set) var model = LinearModel(maximise: false)
    /// y column of each candidate (local order).
    private(set) var y: [Int] = []
    /// z columns of each demand, one per kept level.
    private(set) var z: [[Int]] = []
    /// Σ_i w_i D_i¹ (and w_i·cap for demand with no level): the objective's constant.
    private(set) var constant = 0.0

    /// Builds the y columns, the cardinality row and every demand's kept levels.
    mutating func buildModel() {
        y = candidates.map { _ in model.variable(upper: 1, integer: true) }
        model.row(y.map { ($0, 1) }, lower: Double(p), upper: Double(p))
        z = demand.map { _ in [] }
        for (k, d) in demand.enumerated() {
            if let first = d.levels.first { constant += d.weight * first } else { constant += d.weight * d.cap }
            addLevels(of: k, upTo: d.kept)
        }
    }

    /// Appends levels z.count..<upTo of demand k: z^{l-1} − z^l ≤ Σ_{d = D^l} y (z⁰ = 1), with
    /// objective w·(D^{l+1} − D^l) — the same whatever the truncation, so nothing already in
    /// the model changes.
    mutating func addLevels(of k: Int, upTo: Int) {
        let d = demand[k]
        for level in z[k].count..<upTo {
            let next = level + 1 < d.levels.count ? d.levels[level + 1] : d.cap
            let column = model.variable(upper: 1, objective: d.weight * (next - d.levels[level]))
            let open = d.atLevel[level].map { (y[$0], -1.0) }
            if let previous = z[k].last {
                model.row([(previous, 1), (column, -1)] + open, upper: 0)
            } else {
                model.row([(column, -1)] + open, upper: -1)
            }
            z[k].append(column)
        }
        demand[k].kept = upTo
    }

    /// Adds levels to every demand whose last kept z exceeds `threshold` in `values`; false
    /// when none does (the truncated solution is then feasible, at the same cost, for the full
    /// model). The kept levels at least double each time.
    mutating func extend(_ values: [Double], threshold: Double) -> Bool {
        var grew = false
        for k in demand.indices {
            guard let last = z[k].last, values[last] > threshold, demand[k].kept < demand[k].levels.count else {
                continue
            }
            addLevels(of: k, upTo: min(demand[k].levels.count, demand[k].kept + max(4, demand[k].kept)))
            grew = true
        }
        return grew
    }

    /// Start values for the MIP: y from `open` (local columns), z from the distances.
    func start(open: [Int]) -> [Double] {
        var values = [Double](repeating: 0, count: model.variables.count)
        let chosen = Set(open)
        for c in open { values[y[c]] = 1 }
        for (k, d) in demand.enumerated() {
            // z^l = 1 until the first level holding an open site.
            var covered = false
            for (level, column) in z[k].enumerated() {
                if d.atLevel[level].contains(where: chosen.contains) { covered = true }
                values[column] = covered ? 0 : 1
            }
        }
        return values
    }

    var levelsKept: Int { demand.reduce(0) { $0 + $1.kept } }
    var levelsTotal: Int { demand.reduce(0) { $0 + $1.levels.count } }
}

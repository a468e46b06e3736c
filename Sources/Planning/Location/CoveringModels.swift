/// MIP models of the covering problems over a ``CoverageReduction``.
///
/// Uncapacitated (Church & ReVelle 1974; Toregas et al. 1971): y_j ∈ {0,1} per live candidate;
/// MCLP maximises Σ_g W_g z_g with z_g ≤ Σ_{j∈S_g} y_j, z_g ∈ [0,1], Σ y_j = p; LSCP
/// minimises Σ y_j with Σ_{j∈S_g} y_j ≥ 1. The sizes are |candidates| + |groups| columns and
/// |groups| + 1 rows: for 1,040 parroquias at 10 km, about 2,000.
///
/// Capacitated (Current & Storbeck 1988): x_gj ∈ [0,1], the share of group g served by j;
/// Σ_j x_gj ≤ 1 (MCLP) or = 1 (LSCP); x_gj ≤ y_j; Σ_g W_g x_gj ≤ c_j y_j; fixed sites have
/// y_j = 1 and their own capacity.
struct CoveringModel {
    var model: LinearModel
    /// Column of y_j for each live candidate.
    var siteColumn: [Int: Int] = [:]
    /// Columns of x_gj (capacitated): (group, candidate, column).
    var shares: [(group: Int, site: Int, column: Int)] = []

    init(_ problem: LocationProblem, _ reduction: CoverageReduction, sites p: Int?) {
        let maximise = p != nil
        model = LinearModel(maximise: maximise)
        for j in reduction.candidates {
            let fixed = problem.fixed[j]
            siteColumn[j] = model.variable(
                lower: fixed ? 1 : 0, upper: 1, objective: maximise || fixed ? 0 : 1, integer: true)
        }
        let freeColumns = reduction.candidates.filter { !problem.fixed[$0] }.compactMap { siteColumn[$0] }
        if let p {
            let open = Double(min(p, freeColumns.count))
            model.row(freeColumns.map { ($0, 1) }, lower: open, upper: open)
        }
        if let capacities = problem.capacities {
            var load = [Int: [(Int, Double)]]()
            for (g, group) in reduction.groups.enumerated() {
                var terms: [(Int, Double)] = []
                for j in group.coverers {
                    guard let y = siteColumn[j] else { continue }
                    let x = model.variable(upper: 1, objective: maximise ? group.weight : 0)
                    shares.append((g, j, x))
                    model.row([(x, 1), (y, -1)], upper: 0)
                    load[j, default: []].append((x, group.weight))
                    terms.append((x, 1))
                }
                model.row(terms, lower: maximise ? -.infinity : 1, upper: 1)
            }
            for j in reduction.candidates {
                guard let terms = load[j], let y = siteColumn[j], capacities[j].isFinite else { continue }
                model.row(terms + [(y, -capacities[j])], upper: 0)
            }
        } else {
            for group in reduction.groups {
                let terms = group.coverers.compactMap { siteColumn[$0] }.map { ($0, -1.0) }
                if maximise {
                    let z = model.variable(upper: 1, objective: group.weight)
                    model.row([(z, 1)] + terms, upper: 0)
                } else {
                    model.row(terms.map { ($0.0, 1) }, lower: 1)
                }
            }
        }
    }

    /// Values of a solution → open new sites.
    func open(_ values: [Double], problem: LocationProblem) -> [Int] {
        siteColumn.filter { !problem.fixed[$0.key] && values[$0.value] > 0.5 }.map(\.key).sorted()
    }

    /// The capacitated assignment of a solution, per demand point (group shares split by weight).
    func assignment(_ values: [Double], problem: LocationProblem, reduction: CoverageReduction) -> [[Allocation]] {
        var out = [[Allocation]](repeating: [], count: problem.demandCount)
        for (g, j, x) in shares where values[x] > 1e-9 {
            for i in reduction.groups[g].members {
                out[i].append(
                    Allocation(site: j, weight: problem.weights[i] * values[x], distance: problem.distance(i, j)))
            }
        }
        return out
    }

    /// Start values for the MIP from an open set (uncapacitated: z_g = 1 when covered).
    func start(open: [Int], problem: LocationProblem, reduction: CoverageReduction) -> [Double]? {
        guard !problem.capacitated else { return nil }
        var values = [Double](repeating: 0, count: model.variables.count)
        let chosen = Set(open)
        for (j, y) in siteColumn where chosen.contains(j) || problem.fixed[j] { values[y] = 1 }
        if model.maximise {
            // z columns follow the y columns in group order.
            var z = siteColumn.count
            for group in reduction.groups {
                values[z] = group.coverers.contains(where: chosen.contains) ? 1 : 0
                z += 1
            }
        }
        return values
    }
}

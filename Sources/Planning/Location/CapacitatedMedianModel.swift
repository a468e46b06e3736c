/// The capacitated p-median as the classic assignment MIP (ReVelle & Swain 1970 with capacity
/// rows, e.g. Mulvey & Beck 1984): x_ij ∈ [0,1] the share of demand i served by j (every pair
/// at a finite distance), u_i the share no site can take, priced at the unreachable penalty;
/// Σ_j x_ij + u_i = 1, x_ij ≤ y_j, Σ_i w_i x_ij ≤ c_j y_j, fixed sites y_j = 1, Σ_free y_j = p.
/// O(n·m) columns: ``FacilityLocator`` only builds it up to ``largestModel`` pairs.
struct CapacitatedMedianModel {
    static let largestModel = 250_000

    var model = LinearModel(maximise: false)
    var siteColumn: [Int: Int] = [:]
    var shares: [(demand: Int, site: Int, column: Int)] = []

    static func pairs(_ problem: LocationProblem) -> Int {
        problem.weights.filter { $0 > 0 }.count * problem.candidateCount
    }

    init(_ problem: LocationProblem, sites p: Int) {
        let penalty = problem.unreachablePenalty
        for j in 0..<problem.candidateCount {
            siteColumn[j] = model.variable(lower: problem.fixed[j] ? 1 : 0, upper: 1, integer: true)
        }
        let free = problem.free.compactMap { siteColumn[$0] }
        model.row(free.map { ($0, 1) }, lower: Double(min(p, free.count)), upper: Double(min(p, free.count)))
        var load = [Int: [(Int, Double)]]()
        for i in 0..<problem.demandCount where problem.weights[i] > 0 {
            let w = problem.weights[i]
            var terms: [(Int, Double)] = [(model.variable(upper: 1, objective: w * penalty), 1)]
            for j in 0..<problem.candidateCount where problem.distance(i, j).isFinite {
                guard let y = siteColumn[j] else { continue }
                let x = model.variable(upper: 1, objective: w * problem.distance(i, j))
                shares.append((i, j, x))
                model.row([(x, 1), (y, -1)], upper: 0)
                load[j, default: []].append((x, w))
                terms.append((x, 1))
            }
            model.row(terms, lower: 1, upper: 1)
        }
        let capacities = problem.capacities ?? []
        for j in 0..<problem.candidateCount where j < capacities.count && capacities[j].isFinite {
            guard let terms = load[j], let y = siteColumn[j] else { continue }
            model.row(terms + [(y, -capacities[j])], upper: 0)
        }
    }

    func open(_ values: [Double], problem: LocationProblem) -> [Int] {
        siteColumn.filter { !problem.fixed[$0.key] && values[$0.value] > 0.5 }.map(\.key).sorted()
    }

    func assignment(_ values: [Double], problem: LocationProblem) -> [[Allocation]] {
        var out = [[Allocation]](repeating: [], count: problem.demandCount)
        for (i, j, x) in shares where values[x] > 1e-9 {
            out[i].append(Allocation(site: j, weight: problem.weights[i] * values[x], distance: problem.distance(i, j)))
        }
        return out
    }
}

import Foundation
import Optimization
import Planning
import Testing

/// A random instance: demand and candidates on a 100 × 100 square, distances rounded to one
/// decimal (ties happen), duplicated demand points (groups form), optional fixed site and
/// capacities.
struct RandomInstance {
    var weights: [Double]
    var distances: [Double]
    var m: Int
    var fixed: [Bool]
    var capacities: [Double]?

    init(seed: UInt64, demand n: Int, candidates m: Int, fixedSite: Bool, capacitated: Bool) {
        var random = SeededRandom(seed: seed)
        func coordinate() -> Double { Double(random.int(1000)) / 10 }
        var demand: [(Double, Double)] = []
        for k in 0..<n {
            // Every fifth point repeats an earlier one.
            demand.append(k % 5 == 4 ? demand[random.int(k)] : (coordinate(), coordinate()))
        }
        let sites = (0..<m).map { _ in (coordinate(), coordinate()) }
        weights = (0..<n).map { _ in Double(random.int(20)) }
        distances = demand.flatMap { d in
            sites.map { s in (hypot(d.0 - s.0, d.1 - s.1) * 10).rounded() / 10 }
        }
        self.m = m
        fixed = (0..<m).map { fixedSite && $0 == 0 }
        capacities = capacitated ? (0..<m).map { _ in Double(20 + random.int(60)) } : nil
    }

    func problem(_ question: LocationQuestion) throws -> LocationProblem {
        try LocationProblem(
            question: question, weights: weights, candidateCount: m, distances: distances, fixed: fixed,
            capacities: capacities)
    }
}

/// The optimum by enumeration of every set of sites, each valued independently of the engine:
/// nearest site without capacities, a transportation LP (built here) with them.
enum Enumeration {
    static func subsets(of items: [Int], size: Int) -> [[Int]] {
        guard size > 0 else { return [[]] }
        guard items.count >= size else { return [] }
        var out: [[Int]] = []
        for (k, x) in items.enumerated() {
            for rest in subsets(of: Array(items[(k + 1)...]), size: size - 1) { out.append([x] + rest) }
        }
        return out
    }

    /// Covered weight (radius given) or weighted distance with `sites` (fixed included) open.
    static func value(_ p: LocationProblem, _ sites: [Int], radius: Double?) throws -> Double {
        let open = sites + (0..<p.candidateCount).filter { p.fixed[$0] }
        let n = p.demandCount
        if let capacities = p.capacities {
            // max Σ w x (covering) or min Σ w d x + penalty·w·u (median) over the open sites.
            var model = LinearModel(maximise: radius != nil)
            var load: [Int: [(Int, Double)]] = [:]
            for i in 0..<n where p.weights[i] > 0 {
                var terms: [(Int, Double)] = []
                for j in open where radius.map({ p.distance(i, j) <= $0 }) ?? true {
                    let x = model.variable(upper: 1, objective: radius == nil ? p.weights[i] * p.distance(i, j) : p.weights[i])
                    terms.append((x, 1))
                    load[j, default: []].append((x, p.weights[i]))
                }
                if radius == nil {
                    terms.append((model.variable(upper: 1, objective: p.weights[i] * p.unreachablePenalty), 1))
                    model.row(terms, lower: 1, upper: 1)
                } else if !terms.isEmpty {
                    model.row(terms, upper: 1)
                }
            }
            for (j, terms) in load where capacities[j].isFinite { model.row(terms, upper: capacities[j]) }
            guard !model.variables.isEmpty else { return 0 }
            return try #require(try GLPKSolver().relaxation(model).optimal).objective
        }
        var total = 0.0
        for i in 0..<n {
            let nearest = open.map { p.distance(i, $0) }.min() ?? .infinity
            if let radius {
                if nearest <= radius { total += p.weights[i] }
            } else {
                total += p.weights[i] * min(nearest, p.unreachablePenalty)
            }
        }
        return total
    }

    /// Whether every coverable demand point of positive weight can be served within `radius`.
    static func covers(_ p: LocationProblem, _ sites: [Int], radius: Double) throws -> Bool {
        let everything = (0..<p.candidateCount).filter { !p.fixed[$0] }
        let coverable = try value(withoutCapacities(p), everything, radius: radius)
        return try value(p, sites, radius: radius) >= coverable - 1e-6
    }

    static func withoutCapacities(_ p: LocationProblem) throws -> LocationProblem {
        try LocationProblem(
            question: p.question, weights: p.weights, candidateCount: p.candidateCount, distances: p.distances,
            fixed: p.fixed)
    }

    static func optimum(_ p: LocationProblem) throws -> Double {
        let free = (0..<p.candidateCount).filter { !p.fixed[$0] }
        switch p.question {
        case .maximalCovering(let k, let r):
            return try subsets(of: free, size: min(k, free.count)).map { try value(p, $0, radius: r) }.max() ?? 0
        case .median(let k):
            return try subsets(of: free, size: min(k, free.count)).map { try value(p, $0, radius: nil) }.min() ?? 0
        case .setCovering(let r):
            for size in 0...free.count where try subsets(of: free, size: size).contains(where: { try covers(p, $0, radius: r) }) {
                return Double(size)
            }
            return .infinity
        case .center(let k):
            let radii = Set(p.distances).sorted()
            var best = Double.infinity
            for s in subsets(of: free, size: min(k, free.count)) {
                for r in radii where r < best {
                    if try covers(p, s, radius: r) && (try value(p, s, radius: r)) >= totalPositive(p) - 1e-6 {
                        best = r
                        break
                    }
                }
            }
            return best
        }
    }

    static func totalPositive(_ p: LocationProblem) -> Double { p.weights.reduce(0, +) }
}

@Suite("Facility location engine")
struct LocationTests {
    let solver = GLPKSolver()
    /// Both MIP solvers must give the same optima.
    let solvers: [any LinearSolver] = [GLPKSolver(), CBCSolver()]

    @Test("Four towns on a line: each question's answer by hand")
    func handChecked() throws {
        // Towns at 0, 1, 5 and 6 km with 10, 20, 30, 40 people; candidates at the towns.
        let x = [0.0, 1, 5, 6]
        let w = [10.0, 20, 30, 40]
        let d = x.flatMap { a in x.map { abs(a - $0) } }
        func solve(_ q: LocationQuestion) throws -> LocationSolution {
            try FacilityLocator.solve(
                LocationProblem(question: q, weights: w, candidateCount: 4, distances: d), solver: solver)
        }
        // One site within 1 km: the one at 5 or 6 covers 70.
        let mclp = try solve(.maximalCovering(sites: 1, radius: 1))
        #expect(mclp.objective == 70 && mclp.provenOptimal)
        // One site minimising person-km: at 5 km, 10·5 + 20·4 + 40·1 = 170 (at 6: 60 + 100 + 30 = 190).
        let median = try solve(.median(sites: 1))
        #expect(median.open == [2] && median.objective == 170 && median.provenOptimal)
        // Two sites: 1 and 6 (or 0/1 and 5/6 pairs): 10·1 + 30·1 = 40 vs 20 + 30 = 50 for {0, 6}... best 40.
        #expect(try solve(.median(sites: 2)).objective == 40)
        // Everyone within 1 km needs two sites; within 0.5 km, four.
        #expect(try solve(.setCovering(radius: 1)).objective == 2)
        #expect(try solve(.setCovering(radius: 0.5)).objective == 4)
        // One centre: at 1 or 5 km, the farthest town is 5 km away; two centres: 1 km.
        #expect(try solve(.center(sites: 1)).objective == 5)
        #expect(try solve(.center(sites: 2)).objective == 1)
        // The town at 6 km already has a fixed site: one more site within 1 km covers the other two.
        let fixed = try FacilityLocator.solve(
            LocationProblem(
                question: .maximalCovering(sites: 1, radius: 1), weights: w, candidateCount: 4, distances: d,
                fixed: [false, false, false, true]), solver: solver)
        #expect(fixed.objective == 100 && fixed.open.count == 1 && [0, 1].contains(fixed.open[0]))
        // A capacity of 35 at every site: one site within 1 km covers 35 at most.
        let capped = try FacilityLocator.solve(
            LocationProblem(
                question: .maximalCovering(sites: 1, radius: 1), weights: w, candidateCount: 4, distances: d,
                capacities: [35, 35, 35, 35]), solver: solver)
        #expect(abs(capped.objective - 35) < 1e-9)
    }

    @Test(
        "Every question, with and without capacities and fixed sites, equals enumeration",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
    func againstEnumeration(fixedSite: Bool, capacitated: Bool) throws {
        for seed in UInt64(0)..<10 {
            let instance = RandomInstance(
                seed: seed * 7 + (fixedSite ? 1 : 0) + (capacitated ? 100 : 0), demand: 9, candidates: 6,
                fixedSite: fixedSite, capacitated: capacitated)
            let questions: [LocationQuestion] = [
                .maximalCovering(sites: 2, radius: 30), .median(sites: 2), .setCovering(radius: 45),
                .center(sites: 2),
            ]
            for q in questions {
                let problem = try instance.problem(q)
                let expected = try Enumeration.optimum(problem)
                if capacitated, case .setCovering = q, !expected.isFinite { continue }
                if capacitated, case .center = q, !expected.isFinite { continue }
                for solver in solvers {
                let s = try FacilityLocator.solve(problem, solver: solver)
                let scale = max(1, abs(expected))
                #expect(
                    abs(s.objective - expected) <= 1e-6 * scale,
                    "seed \(seed) \(q) \(solver.name): \(s.objective) ≠ \(expected) by enumeration (\(s.method))")
                #expect(s.provenOptimal, "seed \(seed) \(q): \(s.method)")
                if let k = q.siteCount { #expect(s.open.count <= k) }
                #expect(s.open.allSatisfy { !problem.fixed[$0] })
                // Served weight never exceeds a capacity, never exceeds a point's weight.
                var load = [Double](repeating: 0, count: problem.candidateCount)
                for (i, allocations) in s.assignment.enumerated() {
                    #expect(allocations.reduce(0) { $0 + $1.weight } <= problem.weights[i] + 1e-6)
                    for a in allocations { load[a.site] += a.weight }
                }
                if let c = problem.capacities { #expect(zip(load, c).allSatisfy { $0 <= $1 + 1e-6 }) }
                }
            }
        }
    }

    @Test("The reductions keep the optimum (random instances of 60 points × 40 candidates)")
    func reductionsKeepTheOptimum() throws {
        for seed in UInt64(0)..<6 {
            let instance = RandomInstance(
                seed: 1000 + seed, demand: 60, candidates: 40, fixedSite: seed % 2 == 0, capacitated: false)
            for q: LocationQuestion in [
                .maximalCovering(sites: 4, radius: 20), .median(sites: 5), .setCovering(radius: 25), .center(sites: 4),
            ] {
                let problem = try instance.problem(q)
                let reduced = try FacilityLocator.solve(problem, solver: CBCSolver())
                let plain = try FacilityLocator.solve(problem, solver: solver, reduce: false)
                #expect(reduced.provenOptimal && plain.provenOptimal, "\(q): \(reduced.method) / \(plain.method)")
                #expect(
                    abs(reduced.objective - plain.objective) <= 1e-9 * max(1, plain.objective),
                    "seed \(seed) \(q): reduced \(reduced.objective), plain \(plain.objective)")
            }
        }
    }

    @Test("Bad figures are refused with the row named")
    func refusesBadInput() {
        #expect(throws: PlanningError.self) {
            try LocationProblem(question: .median(sites: 1), weights: [1, -2], candidateCount: 1, distances: [0, 1])
        }
        #expect(throws: PlanningError.self) {
            try LocationProblem(question: .median(sites: 1), weights: [1], candidateCount: 2, distances: [0, .nan])
        }
        #expect(throws: PlanningError.self) {
            try LocationProblem(
                question: .maximalCovering(sites: 1, radius: -1), weights: [1], candidateCount: 1, distances: [0])
        }
        #expect(throws: PlanningError.self) {
            try LocationProblem(question: .median(sites: 1), weights: [1], candidateCount: 2, distances: [0])
        }
    }
}

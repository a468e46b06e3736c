import Optimization
import Testing

@testable import Planning

@Suite("Set partitioning")
struct SetPartitioningTests {
    /// Every connected set of weight ≤ cap, by brute force over all 2ⁿ sets.
    func bruteForce(_ neighbours: [[Int]], _ weights: [Double], cap: Double) -> Set<UInt64> {
        let n = neighbours.count
        var found = Set<UInt64>()
        for mask in 1..<(UInt64(1) << UInt64(n)) {
            let members = (0..<n).filter { mask & (1 << UInt64($0)) != 0 }
            guard members.reduce(0.0, { $0 + weights[$1] }) <= cap else { continue }
            var seen: Set<Int> = [members[0]]
            var stack = [members[0]]
            while let i = stack.popLast() {
                for j in neighbours[i] where mask & (1 << UInt64(j)) != 0 && !seen.contains(j) {
                    seen.insert(j)
                    stack.append(j)
                }
            }
            if seen.count == members.count { found.insert(mask) }
        }
        return found
    }

    @Test func connectedSetsByHand() throws {
        // A path of 5 has 5 + 4 + 3 + 2 + 1 = 15 connected sets; a 4-cycle 4 + 4 + 4 + 1 = 13.
        let path = try #require(
            ConnectedSubsets(neighbours: [[1], [0, 2], [1, 3], [2, 4], [3]], weights: [1, 1, 1, 1, 1]))
        #expect(path.enumerate(cap: 10, visitLimit: 100) { _, _ in } == 15)
        let cycle = try #require(
            ConnectedSubsets(neighbours: [[1, 3], [0, 2], [1, 3], [0, 2]], weights: [1, 1, 1, 1]))
        #expect(cycle.enumerate(cap: 10, visitLimit: 100) { _, _ in } == 13)
        // Weight at most 2 on the path: the 5 units and the 4 pairs.
        #expect(path.enumerate(cap: 2, visitLimit: 100) { _, _ in } == 9)
        // Over the visit limit: nil.
        #expect(path.enumerate(cap: 10, visitLimit: 14) { _, _ in } == nil)
        // More than 64 nodes do not fit a bitmask.
        #expect(
            ConnectedSubsets(neighbours: [[Int]](repeating: [], count: 65), weights: [Double](repeating: 1, count: 65))
                == nil)
    }

    @Test func connectedSetsMatchBruteForceOnRandomGraphs() throws {
        var rng = SeededRandom(seed: 3)
        for _ in 0..<40 {
            let n = 3 + rng.int(10)
            var neighbours = [[Int]](repeating: [], count: n)
            for i in 0..<n {
                for j in (i + 1)..<max(i + 1, n) where rng.int(3) == 0 {
                    neighbours[i].append(j)
                    neighbours[j].append(i)
                }
            }
            let weights = (0..<n).map { _ in Double(rng.int(6)) }  // zeros included
            let cap = Double(rng.int(20))
            let graph = try #require(ConnectedSubsets(neighbours: neighbours, weights: weights))
            var listed: [UInt64] = []
            let visited = graph.enumerate(cap: cap, visitLimit: 1 << 20) { mask, weight in
                listed.append(mask)
                let members = (0..<n).filter { mask & (1 << UInt64($0)) != 0 }
                #expect(abs(weight - members.reduce(0.0) { $0 + weights[$1] }) < 1e-12)
            }
            #expect(visited == listed.count)
            #expect(Set(listed).count == listed.count, "a set listed twice")
            #expect(Set(listed) == bruteForce(neighbours, weights, cap: cap))
        }
    }

    /// A w×h grid of 1 km squares one degree apart, every term of the objective on.
    func grid(_ w: Int, _ h: Int, _ populations: [Double], parts: Int) -> PartitionProblem {
        let neighbours = gridNeighbours(w, h)
        var objective = PartitionObjective(balance: 1, compactness: 0.05, access: 0.05, shape: 0.05, scale: 100_000)
        objective.maxDistanceBound = 150_000
        objective.lopsidedPenalty = 1
        return PartitionProblem(
            populations: populations,
            locations: (0..<(w * h)).map { GeoPoint(lon: Double($0 % w), lat: Double($0 / w)) },
            neighbours: neighbours, parts: parts, target: populations.reduce(0, +) / Double(parts),
            objective: objective,
            shapes: .init(
                areas: populations.map { _ in 1e6 }, perimeters: populations.map { _ in 4000 },
                borders: neighbours.map { $0.map { _ in 1000 } }))
    }

    /// From a one-restart heuristic (which misses the optimum on some of these lumpy grids),
    /// set partitioning through either solver reaches the exhaustive optimum every time and
    /// says it is optimal, with the bound equal to the cost.
    @Test func setPartitioningReachesTheExhaustiveOptimum() throws {
        var rng = SeededRandom(seed: 7)
        var missedByTheHeuristic = 0
        for round in 0..<30 {
            let pops = (0..<10).map { _ in Double(rng.int(4) == 0 ? 10 + rng.int(5) : 1 + rng.int(3)) }
            let p = grid(5, 2, pops, parts: 3 + round % 2)
            let exact = try #require(Partitioner.solve(p, metric: PlanarMetric(), seed: 1))
            #expect(exact.optimal && exact.method == "enumeration")
            let heuristic = try #require(
                Partitioner.solve(p, metric: PlanarMetric(), seed: 1, restarts: 1, exactLimit: 0))
            if heuristic.cost > exact.cost + 1e-9 { missedByTheHeuristic += 1 }
            for solver in [CBCSolver(), GLPKSolver()] as [any LinearSolver] {
                let s = try #require(
                    Partitioner.solve(p, metric: PlanarMetric(), seed: 1, restarts: 1, exactLimit: 0, solver: solver))
                #expect(s.optimal && s.gap == 0 && s.lowerBound == s.cost)
                #expect(abs(s.cost - exact.cost) < 1e-9, "\(pops): \(s.cost) against the optimum \(exact.cost)")
                #expect(s.method.hasPrefix("set partitioning (\(solver.name), "))
                // A partition of contiguous parts, costing what it says.
                #expect(Set(s.assignment).count == p.parts)
                #expect(
                    abs(Partitioner.cost(s.assignment, p, d: DistanceTable(p, metric: PlanarMetric())) - s.cost) < 1e-12
                )
                for part in 0..<p.parts {
                    #expect(Partitioner.connected(s.assignment.indices.filter { s.assignment[$0] == part }, p))
                }
            }
        }
        #expect(missedByTheHeuristic >= 3, "the test needs cases the heuristic alone misses")
    }

    /// With more candidate parts than the MIP may take, column generation bounds the problem
    /// and drops the parts whose reduced cost rules them out: on the lumpy grids, with the MIP
    /// allowed 12 columns where there are hundreds, every bound stays below the exhaustive
    /// optimum, every answer proven optimal is it, and most are proven.
    @Test func columnGenerationProvesWhatTheMIPCannotTake() throws {
        var rng = SeededRandom(seed: 7)
        var proven = 0, generated = 0
        for round in 0..<30 {
            let pops = (0..<10).map { _ in Double(rng.int(4) == 0 ? 10 + rng.int(5) : 1 + rng.int(3)) }
            let p = grid(5, 2, pops, parts: 3 + round % 2)
            let exact = try #require(Partitioner.solve(p, metric: PlanarMetric(), seed: 1))
            for solver in [CBCSolver(), GLPKSolver()] as [any LinearSolver] {
                let s = try #require(
                    Partitioner.solve(
                        p, metric: PlanarMetric(), seed: 1, restarts: 1, exactLimit: 0, solver: solver,
                        limits: .init(columns: 12)))
                #expect(s.lowerBound <= exact.cost + 1e-9, "\(pops): bound \(s.lowerBound) above \(exact.cost)")
                #expect(s.cost >= exact.cost - 1e-9)
                if s.method.contains("column generation") { generated += 1 }
                if s.optimal {
                    proven += 1
                    #expect(abs(s.cost - exact.cost) < 1e-9, "\(pops): \(s.cost) proven, optimum \(exact.cost)")
                }
            }
        }
        #expect(generated >= 40, "column generation ran in \(generated) of 60 cases")
        #expect(proven >= 50, "proven in \(proven) of 60 cases")
    }

    /// Two triangles of units, {0, 1, 2} and {3, 4, 5}, in three parts: pairs cost 1, single
    /// units and whole triangles 5. The LP takes every pair at ½ (cost 3, three columns in
    /// all); a partition must take one triangle whole and split the other into a pair and a
    /// unit: 5 + 1 + 5 = 11. Column generation must find the LP's 3, and reduced-cost fixing
    /// must keep every column of every partition costing 11 — all of them cost more than 0 in
    /// reduced cost at the LP's duals, so fixing at the LP value alone would lose them.
    @Test func columnGenerationBoundsAndKeepsWhatAFractionalLPHides() throws {
        var columns: [(mask: UInt64, cost: Double)] = []
        for triangle in [[0, 1, 2], [3, 4, 5]] {
            for i in triangle { columns.append((1 << UInt64(i), 5)) }
            for (a, b) in [(0, 1), (1, 2), (0, 2)] {
                columns.append((1 << UInt64(triangle[a]) | 1 << UInt64(triangle[b]), 1))
            }
            columns.append((triangle.reduce(UInt64(0)) { $0 | 1 << UInt64($1) }, 5))
        }
        // The incumbent: triangle {0, 1, 2} whole (column 6), pair {3, 4} (10), unit {5} (9).
        for solver in [CBCSolver(), GLPKSolver()] as [any LinearSolver] {
            let priced = try #require(
                SetPartitioning.priceOut(columns, units: 6, parts: 3, start: [6, 10, 9], upper: 11, solver: solver))
            #expect(abs(priced.bound - 3) < 1e-6, "bound \(priced.bound)")
            // Every partition into 3 columns costing at most 11, by brute force.
            var needed = Set<Int>()
            for a in columns.indices {
                for b in (a + 1)..<columns.count {
                    for c in (b + 1)..<max(b + 1, columns.count) {
                        let masks = [columns[a].mask, columns[b].mask, columns[c].mask]
                        guard masks[0] & masks[1] == 0, masks[0] & masks[2] == 0, masks[1] & masks[2] == 0,
                            masks[0] | masks[1] | masks[2] == 0b111111,
                            columns[a].cost + columns[b].cost + columns[c].cost <= 11
                        else { continue }
                        needed.formUnion([a, b, c])
                    }
                }
            }
            #expect(needed.count == 14)  // both triangles whole, all their pairs and units
            #expect(needed.isSubset(of: Set(priced.survivors)), "lost \(needed.subtracting(priced.survivors))")
        }
    }

    /// With too many candidate parts for the limits, the heuristic's answer and bound stand.
    @Test func beyondTheLimitsTheHeuristicStands() throws {
        let pops = (0..<12).map { Double(1 + $0 % 3) }
        let p = grid(4, 3, pops, parts: 3)
        let heuristic = try #require(Partitioner.solve(p, metric: PlanarMetric(), seed: 1, exactLimit: 0))
        let limited = try #require(
            Partitioner.solve(
                p, metric: PlanarMetric(), seed: 1, exactLimit: 0, solver: CBCSolver(),
                limits: .init(visits: 1_000_000, columns: 5, storedColumns: 5)))
        #expect(!limited.optimal && limited.cost == heuristic.cost && limited.lowerBound == heuristic.lowerBound)
        #expect(limited.method.hasPrefix("region growing"))
        let solved = try #require(
            Partitioner.solve(p, metric: PlanarMetric(), seed: 1, exactLimit: 0, solver: CBCSolver()))
        #expect(solved.optimal && solved.cost <= heuristic.cost + 1e-12)
        // The same answer twice.
        let again = try #require(
            Partitioner.solve(p, metric: PlanarMetric(), seed: 1, exactLimit: 0, solver: CBCSolver()))
        #expect(again.assignment == solved.assignment && again.cost == solved.cost)
    }
}

/// Proves a two-part subproblem of at most 64 units optimal by branch and bound over its
/// contiguous bipartitions, where set partitioning cannot (the parts that could beat the
/// heuristic's are too many to list: the divisible cities of two distritos, whose units are
/// the small pieces of their urban parroquias).
///
/// Part A is the one holding r, the seat of all the units (``PartitionProblem/seat(of:)``), so
/// r is A's seat whatever else A holds; B is the rest, its seat its highest-ranked unit. A
/// search node puts some units in A (S) and some in B (X) and propagates: A's units must lie in
/// the component of r in the graph without X (what that component misses goes to B), B's in
/// one component of the graph without S (what it misses goes to A); a node where they do not
/// is cut. With every unit placed, both parts are therefore contiguous.
///
/// The bound of a node: A holds between P(S) and the total less P(X) people, narrowed to where
/// the balance terms leave room for the spread's bound (two parts of total/2 ± δ pay
/// balance × 2 (c² + δ²) / T², c = total/2 − T: convex, least at half the total). Cut into
/// bands, each band's bound is its least balance plus the spread Σ wᵢ g(i, seat) / P of both
/// parts with P at the band's most: S's units at r, X's at their nearest possible seat of B (B's
/// seat ranks no lower than X's highest-ranked unit), and the open units split between the
/// parts by the fractional knapsack (Dantzig 1957) that gives A as many people as the band
/// asks, cheapest first; with the shape term, plus the least the parts' perimeters can cost
/// given the border already cut between them (``search(_:d:upper:nodeLimit:bands:)``'s
/// `shapeBound`). Lopsidedness and the distance penalties are non-negative and left out of
/// the bound; the leaves are scored exactly (``Partitioner/partCost``).
///
/// Depth-first: until B has a unit, on the highest-ranked open unit (which settles B's seat),
/// then on the most populous open unit next to either part, A first. O(2^n) nodes in the
/// worst case, each O(n · |candidate seats| + bands · n log n); it stops after `nodeLimit`
/// nodes (a count, not a time, so the outcome is the same on any machine). National 140 plan:
/// Ambato's 32 units in 297 nodes, Santo Domingo's 32 in 2,703, Cuenca's 48 in 448,501 (1.3 s;
/// 9.9 million and 16 s with the window in one band; the first, one-sided version of the
/// search did not finish Cuenca in 200 million).
enum ExactBipartition {
    struct Outcome {
        /// The best bipartition below the incumbent's cost (0: A, 1: B), nil if none is.
        var assignment: [Int]?
        var cost: Double
        /// Search nodes visited.
        var nodes: Int
        /// Whether the search finished: then no contiguous bipartition costs less than `cost`.
        var complete: Bool
    }

    /// The nodes a search may visit: about 10 s at the national subproblems' 1–3 µs a node.
    static let nodeLimit = 5_000_000

    static func search(_ p: PartitionProblem, d: DistanceTable, upper: Double, nodeLimit: Int, bands: Int = 4)
        -> Outcome?
    {
        let n = p.count
        guard p.parts == 2, n >= 2, n <= ConnectedSubsets.maxNodes, upper.isFinite,
            let graph = ConnectedSubsets(neighbours: p.neighbours, weights: p.populations),
            let root = p.seat(of: Array(0..<n))
        else { return nil }
        let o = p.objective
        // The bound leaves out terms it takes to be non-negative.
        guard o.balance >= 0, o.compactness >= 0, o.access >= 0, o.shape >= 0, o.boundPenalty >= 0,
            o.lopsidedPenalty >= 0, bands >= 1
        else { return nil }
        let adjacency = graph.adjacency
        let w = p.populations
        let total = w.reduce(0, +)
        let target = p.target
        // The knapsack and the balance window take people as non-negative weights.
        guard target > 0, target.isFinite, w.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
        let everything: UInt64 = n == 64 ? ~0 : (1 << UInt64(n)) - 1
        let spread = Partitioner.spreadMatrix(p, d: d)
        // Units by seat rank, highest first (``PartitionProblem/seat(of:)``'s order).
        let rank = p.seatRank.flatMap { $0.count == n ? $0 : nil } ?? w
        let byRank = (0..<n).sorted { (rank[$0], -$0) > (rank[$1], -$1) }
        let slack = 1e-12
        var best = upper
        var bestA: UInt64? = nil
        var nodes = 0
        var stopped = false
        var candidates: [Int] = []
        candidates.reserveCapacity(n)
        var inA = [Double](repeating: 0, count: n), inB = inA, weightOf = inA, undecided = 0

        func people(_ set: UInt64) -> Double {
            var sum = 0.0, rest = set
            while rest != 0 {
                sum += w[rest.trailingZeroBitCount]
                rest &= rest - 1
            }
            return sum
        }
        func neighbourhood(_ set: UInt64) -> UInt64 {
            var out: UInt64 = 0, rest = set
            while rest != 0 {
                out |= adjacency[rest.trailingZeroBitCount]
                rest &= rest - 1
            }
            return out
        }
        /// The units of `within` reachable from `start` (a subset of it).
        func closure(_ start: UInt64, within: UInt64) -> UInt64 {
            var reached = start, fresh = start
            while fresh != 0 {
                let grown = neighbourhood(fresh) & within & ~reached
                reached |= grown
                fresh = grown
            }
            return reached
        }
        func balance(_ peopleA: Double) -> Double {
            let a = (peopleA - target) / target, b = (total - peopleA - target) / target
            return o.balance * (a * a + b * b)
        }
        func members(_ set: UInt64) -> [Int] { (0..<n).filter { set & (1 << UInt64($0)) != 0 } }

        let rootBit = UInt64(1) << UInt64(root)
        // The shape bound's data: the units' total area and outline, where the shapes are
        // consistent (positive areas, no unit sharing more border than its perimeter, so no
        // part's perimeter is negative).
        let outline: (length: Double, area: Double)? = {
            guard o.shape > 0, let shapes = p.shapes, shapes.areas.count == n, shapes.perimeters.count == n,
                shapes.borders.count == n
            else { return nil }
            var length = 0.0, area = 0.0
            for i in 0..<n {
                let shared = shapes.borders[i].reduce(0, +)
                guard shapes.areas[i] > 0, shapes.borders[i].allSatisfy({ $0 >= 0 }),
                    shapes.borders[i].count <= p.neighbours[i].count, shared <= shapes.perimeters[i] * (1 + 1e-9)
                else { return nil }
                area += shapes.areas[i]
                length += shapes.perimeters[i] - shared
            }
            return area > 0 && length.isFinite ? (length, area) : nil
        }()
        /// The shape terms' bound: the parts' perimeters add up to the outline L plus the border
        /// between them as each side counts it, at least the border already cut between S and
        /// X, and by Cauchy–Schwarz Σ P_j² / A_j ≥ (Σ P_j)² / Σ A_j, so the two terms cost at
        /// least shape × ((L + cut)² / (4π A) − 2) (``PartitionProblem/shapeBound`` without the
        /// cut).
        func shapeBound(_ s: UInt64, _ x: UInt64, outline: (length: Double, area: Double)) -> Double {
            guard let shapes = p.shapes else { return 0 }
            var cut = 0.0
            for (from, to) in [(s, x), (x, s)] {
                var rest = from
                while rest != 0 {
                    let i = rest.trailingZeroBitCount
                    rest &= rest - 1
                    guard adjacency[i] & to != 0 else { continue }
                    for (k, j) in p.neighbours[i].enumerated() where k < shapes.borders[i].count && j >= 0 && j < n {
                        if to & (1 << UInt64(j)) != 0 { cut += shapes.borders[i][k] }
                    }
                }
            }
            let perimeter = outline.length + cut
            return o.shape * max(0, perimeter * perimeter / (4 * Double.pi * outline.area) - 2)
        }
        var order: [Int] = []
        order.reserveCapacity(n)
        var ratio = [Double](repeating: 0, count: n)

        /// The least spread of the units outside S and X given that A receives between `fromA`
        /// and `toA` of their people: a fractional knapsack (Dantzig 1957), the units taken
        /// into A in increasing order of (their cost in A − their cost in B) per person while that
        /// is negative and A is under `toA`, then on until it reaches `fromA`.
        func undecidedSpread(mostA: Double, mostB: Double, fromA: Double, toA: Double) -> Double {
            var sum = 0.0
            order.removeAll(keepingCapacity: true)
            for u in 0..<undecided {
                let costB = mostB > 0 ? inB[u] / mostB : 0
                sum += costB
                let gain = (mostA > 0 ? inA[u] / mostA : 0) - costB
                if weightOf[u] > 0 {
                    ratio[u] = gain / weightOf[u]
                    order.append(u)
                } else if gain < 0 {
                    sum += gain
                }
            }
            order.sort { (ratio[$0], $0) < (ratio[$1], $1) }
            var load = 0.0
            for u in order {
                let limit = ratio[u] < 0 ? toA : fromA
                guard load < limit else {
                    if ratio[u] < 0 { continue } else { break }
                }
                let fraction = min(1, (limit - load) / weightOf[u])
                load += fraction * weightOf[u]
                sum += fraction * weightOf[u] * ratio[u]
            }
            return sum
        }

        func visit(_ inS: UInt64, _ inX: UInt64) {
            guard !stopped else { return }
            nodes += 1
            if nodes > nodeLimit {
                stopped = true
                return
            }
            var s = inS, x = inX
            // A's units lie in one component of the graph without X, the root's; what that
            // component misses is B's. B's units lie in one component of the graph without S;
            // what it misses is A's.
            let reachA = closure(rootBit, within: everything & ~x)
            guard reachA & s == s else { return }
            x |= everything & ~reachA
            if x != 0 {
                let reachB = closure(x & (~x &+ 1), within: everything & ~s)
                guard reachB & x == x else { return }
                s |= everything & ~reachB
            }
            let open = everything & ~s & ~x
            let low = people(s), high = total - people(x)
            guard low <= high else { return }
            // Seats: A's is the root; B's is its highest-ranked unit, no lower than X's. Without
            // spread terms the open units cost nothing in either part: none go to the knapsack.
            var fixedA = 0.0, fixedB = 0.0
            undecided = 0
            if o.compactness > 0 || o.access > 0 {
                candidates.removeAll(keepingCapacity: true)
                for c in byRank where s & (1 << UInt64(c)) == 0 {
                    candidates.append(c)
                    if x & (1 << UInt64(c)) != 0 { break }
                }
                var rest = everything
                while rest != 0 {
                    let i = rest.trailingZeroBitCount
                    rest &= rest - 1
                    let bit = UInt64(1) << UInt64(i)
                    if s & bit != 0 {
                        fixedA += w[i] * spread[i * n + root]
                        continue
                    }
                    var nearest = Double.infinity
                    for c in candidates { nearest = min(nearest, spread[i * n + c]) }
                    if x & bit != 0 {
                        fixedB += w[i] * nearest
                    } else {
                        inA[undecided] = w[i] * spread[i * n + root]
                        inB[undecided] = w[i] * nearest
                        weightOf[undecided] = w[i]
                        undecided += 1
                    }
                }
            }
            // A holds between `least` and `most` people: within its people's range, and where
            // the balance terms leave room for the spread's bound:
            // balance(total / 2 ± δ) = balance weight × 2 (c² + δ²) / T², c = total / 2 − T.
            var least = low, most = high
            let shapeLeast = outline.map { shapeBound(s, x, outline: $0) } ?? 0
            guard shapeLeast < best - slack else { return }
            var budget = best - slack - shapeLeast
            for _ in 0..<3 {
                if o.balance > 0 {
                    let c = total / 2 - target
                    let squared = (budget * target * target / o.balance - 2 * c * c) / 2
                    guard squared >= 0 else { return }
                    least = max(least, total / 2 - squared.squareRoot())
                    most = min(most, total / 2 + squared.squareRoot())
                    guard least <= most else { return }
                }
                let mostA = most, mostB = total - least
                let spreadLeast =
                    (mostA > 0 ? fixedA / mostA : 0) + (mostB > 0 ? fixedB / mostB : 0)
                    + undecidedSpread(mostA: mostA, mostB: mostB, fromA: least - low, toA: most - low)
                guard balance(min(max(total / 2, least), most)) + spreadLeast + shapeLeast < best - slack else {
                    return
                }
                budget = best - slack - spreadLeast - shapeLeast
            }
            // Cut into bands, each with its own denominators: A's people divide by the band's
            // top, not the window's.
            if bands > 1, most > least {
                var bound = Double.infinity
                for band in 0..<bands {
                    let a = least + (most - least) * Double(band) / Double(bands)
                    let b = band == bands - 1 ? most : least + (most - least) * Double(band + 1) / Double(bands)
                    let mostA = b, mostB = total - a
                    let value =
                        shapeLeast + balance(min(max(total / 2, a), b)) + (mostA > 0 ? fixedA / mostA : 0)
                        + (mostB > 0 ? fixedB / mostB : 0)
                        + undecidedSpread(mostA: mostA, mostB: mostB, fromA: a - low, toA: b - low)
                    bound = min(bound, value)
                    if bound < best - slack { break }
                }
                guard bound < best - slack else { return }
            }
            guard open != 0 else {
                guard x != 0 else { return }
                let cost = Partitioner.partCost(members(s), p, d: d) + Partitioner.partCost(members(x), p, d: d)
                if cost < best - slack {
                    best = cost
                    bestA = s
                }
                return
            }
            // Branch: until B has a unit, on the highest-ranked open unit (it settles B's
            // seat); then on the most populous open unit next to either part.
            let v: Int
            if x == 0 {
                guard let top = byRank.first(where: { open & (1 << UInt64($0)) != 0 }) else { return }
                v = top
            } else {
                let touching = open & neighbourhood(s | x)
                var chosen = -1, rest = touching != 0 ? touching : open
                while rest != 0 {
                    let i = rest.trailingZeroBitCount
                    rest &= rest - 1
                    if chosen < 0 || w[i] > w[chosen] { chosen = i }
                }
                v = chosen
            }
            let bit = UInt64(1) << UInt64(v)
            visit(s | bit, x)
            visit(s, x | bit)
        }
        visit(rootBit, 0)
        return Outcome(
            assignment: bestA.map { a in (0..<n).map { a & (1 << UInt64($0)) != 0 ? 0 : 1 } }, cost: best,
            nodes: nodes, complete: !stopped)
    }
}

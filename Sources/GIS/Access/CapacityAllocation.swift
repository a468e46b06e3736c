/// People allocated to establishments with limited capacity: the most people served within
/// the cutoff, and among such allocations the least total travel time. Solved exactly as a
/// min-cost max-flow by successive shortest paths on reduced costs (Johnson potentials,
/// Edmonds & Karp 1972, doi:10.1145/321694.321699). Each Dijkstra stops when it settles the
/// sink; potentials move only on the nodes it settled (every other node shifts by the same
/// amount, which changes no reduced cost), so an iteration costs what it explores, not the
/// whole network. Network: source → demand point (its population) → establishment (travel
/// time, pairs within the cutoff) → sink (capacity). Establishments without a
/// capacity are unlimited. Ties are broken by index, and indices follow the canonical order
/// of demand and supply, so the answer does not depend on input order.
public struct CapacityAllocation: Sendable {
    /// People served per demand point.
    public var served: [Double]
    /// People allocated to each establishment (indexed like the supply).
    public var allocated: [Double]
    /// Σ people × minutes over the allocation.
    public var totalMinutes: Double

    public static func solve(demand: [DemandPoint], supply: Supply, candidates: [Int], matrix: TravelMatrix)
        -> CapacityAllocation
    {
        let nd = demand.count
        let local = Dictionary(uniqueKeysWithValues: candidates.enumerated().map { ($1, $0) })
        let nf = candidates.count
        let source = nd + nf, sink = source + 1, n = sink + 1
        var to: [Int] = [], cap: [Double] = [], cost: [Double] = [], head = [Int](repeating: -1, count: n),
            next: [Int] = []
        func add(_ a: Int, _ b: Int, _ c: Double, _ w: Double) {
            to.append(b); cap.append(c); cost.append(w); next.append(head[a]); head[a] = to.count - 1
            to.append(a); cap.append(0); cost.append(-w); next.append(head[b]); head[b] = to.count - 1
        }
        let total = demand.reduce(0) { $0 + $1.population }
        for (i, p) in demand.enumerated() where p.population > 0 { add(source, i, p.population, 0) }
        for (i, row) in matrix.rows.enumerated() {
            for (j, t) in row { if let f = local[j] { add(i, nd + f, .infinity, t) } }
        }
        for (f, j) in candidates.enumerated() { add(nd + f, sink, supply.establishments[j].capacity ?? total, 0) }

        var potential = [Double](repeating: 0, count: n)
        var allocatedFlow = 0.0, totalCost = 0.0
        let eps = 1e-9
        var dist = [Double](repeating: .infinity, count: n)
        var via = [Int](repeating: -1, count: n)
        var settled = [Bool](repeating: false, count: n)
        var touched: [Int] = []
        while allocatedFlow < total - eps {
            for v in touched {
                dist[v] = .infinity
                via[v] = -1
                settled[v] = false
            }
            touched.removeAll(keepingCapacity: true)
            var order: [Int] = []
            dist[source] = 0
            touched.append(source)
            var heap = BinaryHeap()
            heap.push(0, source)
            while let (d, u) = heap.pop() {
                guard !settled[u], d <= dist[u] else { continue }
                settled[u] = true
                order.append(u)
                if u == sink { break }
                var e = head[u]
                while e >= 0 {
                    let v = to[e]
                    if cap[e] > eps && !settled[v] {
                        let candidate = d + max(0, cost[e] + potential[u] - potential[v])
                        if candidate < dist[v] - 1e-12 {
                            if dist[v] == .infinity { touched.append(v) }
                            dist[v] = candidate
                            via[v] = e
                            heap.push(candidate, v)
                        }
                    }
                    e = next[e]
                }
            }
            guard settled[sink] else { break }
            for v in order { potential[v] += dist[v] - dist[sink] }
            var push = Double.infinity
            var v = sink
            while v != source {
                push = min(push, cap[via[v]])
                v = to[via[v] ^ 1]
            }
            v = sink
            while v != source {
                cap[via[v]] -= push
                cap[via[v] ^ 1] += push
                totalCost += push * cost[via[v]]
                v = to[via[v] ^ 1]
            }
            allocatedFlow += push
        }
        var served = [Double](repeating: 0, count: nd)
        var allocated = [Double](repeating: 0, count: supply.establishments.count)
        for i in 0..<nd {
            var e = head[i]
            while e >= 0 {
                if to[e] >= nd && to[e] < nd + nf && e % 2 == 0 {
                    let flow = cap[e ^ 1]
                    served[i] += flow
                    allocated[candidates[to[e] - nd]] += flow
                }
                e = next[e]
            }
        }
        return CapacityAllocation(served: served, allocated: allocated, totalMinutes: totalCost)
    }
}

/// Every connected set of nodes of a small graph (at most 64 nodes, as bitmasks) whose weight
/// stays within a cap: the candidate parts of a partition (``SetPartitioning``).
///
/// ESU (Wernicke 2006, "Efficient detection of network motifs"): each connected set is grown
/// from its smallest node v, and a node joins the extension only through the first member it
/// is adjacent to (the exclusive neighbourhood), so every connected set is produced exactly
/// once. Weights are non-negative, so a set over the cap has no superset under it and its
/// branch is cut. O(number of sets × n / 64) time; stops, returning nil, after `visitLimit`
/// sets.
struct ConnectedSubsets {
    /// The most nodes a graph may have: one bit of a `UInt64` mask each. Above it set
    /// partitioning cannot follow, and the heuristic searches harder (``Partitioner``).
    static let maxNodes = 64

    /// Neighbours of each node as a bitmask.
    let adjacency: [UInt64]
    let weights: [Double]

    init?(neighbours: [[Int]], weights: [Double]) {
        let n = neighbours.count
        guard n <= Self.maxNodes, weights.count == n else { return nil }
        adjacency = neighbours.map { list in
            list.reduce(UInt64(0)) { mask, j in j >= 0 && j < n ? mask | (1 << UInt64(j)) : mask }
        }
        self.weights = weights
    }

    /// Calls `visit(set, weight)` for every connected set of weight ≤ `cap`, in a fixed order
    /// (by smallest node, then depth-first); nil when more than `visitLimit` sets exist.
    func enumerate(cap: Double, visitLimit: Int, _ visit: (UInt64, Double) -> Void) -> Int? {
        var visited = 0
        var stopped = false
        /// `candidates`: the nodes `set` may still grow by; `closed`: `set` and its neighbours.
        func extend(_ set: UInt64, _ candidates: UInt64, _ closed: UInt64, _ weight: Double, above: UInt64) {
            guard !stopped else { return }
            visited += 1
            if visited > visitLimit {
                stopped = true
                return
            }
            visit(set, weight)
            var rest = candidates
            while rest != 0 {
                let w = rest.trailingZeroBitCount
                rest &= rest - 1
                let grown = weight + weights[w]
                guard grown <= cap else { continue }
                let exclusive = adjacency[w] & ~closed & above
                extend(
                    set | (1 << UInt64(w)), rest | exclusive, closed | adjacency[w] | (1 << UInt64(w)), grown,
                    above: above)
                if stopped { return }
            }
        }
        for v in 0..<adjacency.count where weights[v] <= cap {
            let above: UInt64 = v == 63 ? 0 : ~UInt64(0) << UInt64(v + 1)
            let bit = UInt64(1) << UInt64(v)
            extend(bit, adjacency[v] & above, adjacency[v] | bit, weights[v], above: above)
            if stopped { return nil }
        }
        return visited
    }
}

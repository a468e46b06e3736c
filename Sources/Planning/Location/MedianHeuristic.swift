/// A good p-median solution fast, to start and to bound the exact method: lazy greedy
/// (Minoux 1978: the gain of a site only falls as sites open, so a stale gain is an upper
/// bound and most candidates are never re-evaluated) followed by the fast interchange of
/// Whitaker (1983) as described by Hansen & Mladenović (1997, "Variable neighborhood search for
/// the p-median", Location Science 5(4)): for each closed candidate, one pass over the demand
/// gives the gain of inserting it and, at once, the loss of removing each open site, using
/// every demand point's nearest and second-nearest open site. One pass over all swaps is
/// O(n·m); after a move the nearest pairs are updated in O(n·p).
///
/// `cap[i]` is demand i's distance to its nearest fixed site (or the unreachable penalty): an
/// always-open site that is never removed.
struct MedianHeuristic {
    let weights: [Double]
    /// Candidate indices of the problem, in the local order of the columns below.
    let candidates: [Int]
    let cap: [Double]
    /// Demand-major, `weights.count × candidates.count`, each entry min(distance, cap).
    let matrix: [Double]

    /// `rows[k]` is the problem's demand row of local demand k.
    init(problem: LocationProblem, rows: [Int], weights: [Double], candidates: [Int], cap: [Double]) {
        self.weights = weights
        self.candidates = candidates
        self.cap = cap
        let m = candidates.count
        var matrix = [Double](repeating: 0, count: rows.count * m)
        for (k, i) in rows.enumerated() {
            for (c, j) in candidates.enumerated() { matrix[k * m + c] = min(problem.distance(i, j), cap[k]) }
        }
        self.matrix = matrix
    }

    /// A problem given by its matrix: demand i at candidate c costs `matrix[i × m + c]` per
    /// unit of weight (every demand point a candidate when the matrix is square).
    init(weights: [Double], matrix: [Double], cap: [Double]) {
        self.weights = weights
        let m = weights.isEmpty ? 0 : matrix.count / weights.count
        self.candidates = Array(0..<m)
        self.cap = cap
        self.matrix = matrix.indices.map { k in min(matrix[k], cap[k / max(1, m)]) }
    }

    /// Demand-weighted cost of `open` (local column indices).
    func cost(_ open: [Int]) -> Double {
        let m = candidates.count
        var total = 0.0
        for i in weights.indices {
            var best = cap[i]
            for c in open { best = min(best, matrix[i * m + c]) }
            total += weights[i] * best
        }
        return total
    }

    /// Lazy greedy: local column indices, sorted.
    func greedy(_ p: Int) -> [Int] {
        let m = candidates.count
        var best = cap
        var gain = [Double](repeating: .infinity, count: m)
        var isOpen = [Bool](repeating: false, count: m)
        var open: [Int] = []
        func exactGain(_ c: Int) -> Double {
            var g = 0.0
            for i in weights.indices {
                let d = matrix[i * m + c]
                if d < best[i] { g += weights[i] * (best[i] - d) }
            }
            return g
        }
        while open.count < min(p, m) {
            var chosen = -1
            while true {
                // The candidate with the largest (possibly stale) gain; ties to the lower index.
                var top = -1
                for c in 0..<m where !isOpen[c] && (top < 0 || gain[c] > gain[top]) { top = c }
                guard top >= 0 else { break }
                gain[top] = exactGain(top)
                var next = -1
                for c in 0..<m where !isOpen[c] && c != top && (next < 0 || gain[c] > gain[next]) { next = c }
                if next < 0 || gain[top] > gain[next] || (gain[top] == gain[next] && top < next) {
                    chosen = top
                    break
                }
            }
            guard chosen >= 0 else { break }
            isOpen[chosen] = true
            open.append(chosen)
            for i in weights.indices { best[i] = min(best[i], matrix[i * m + chosen]) }
        }
        return open.sorted()
    }

    /// Whitaker's fast interchange from `start` (local columns) until no swap improves by more
    /// than 1e-9 relative; best improvement per pass, ties to the lowest indices.
    func interchange(_ start: [Int]) -> [Int] {
        var open = start
        let n = weights.count, m = candidates.count
        var isOpen = [Bool](repeating: false, count: m)
        for c in open { isOpen[c] = true }
        var n1 = [Int](repeating: -1, count: n)
        var d1 = cap, d2 = cap
        func refresh() {
            for i in 0..<n {
                var a = -1, da = cap[i], db = cap[i]
                for c in open {
                    let d = matrix[i * m + c]
                    if d < da {
                        db = da
                        a = c
                        da = d
                    } else if d < db {
                        db = d
                    }
                }
                n1[i] = a
                d1[i] = da
                d2[i] = db
            }
        }
        refresh()
        var current = cost(open)
        var loss = [Double](repeating: 0, count: m)
        matrix.withUnsafeBufferPointer { dist in
            while true {
                var bestDelta = -1e-9 * max(1, current), bestIn = -1, bestOut = -1
                for a in 0..<m where !isOpen[a] {
                    var gain = 0.0
                    for r in open { loss[r] = 0 }
                    for i in 0..<n {
                        let d = dist[i * m + a]
                        if d < d1[i] {
                            gain += weights[i] * (d1[i] - d)
                        } else if n1[i] >= 0 {
                            loss[n1[i]] += weights[i] * (min(d, d2[i]) - d1[i])
                        }
                    }
                    for r in open where loss[r] - gain < bestDelta {
                        bestDelta = loss[r] - gain
                        bestIn = a
                        bestOut = r
                    }
                }
                guard bestIn >= 0, let k = open.firstIndex(of: bestOut) else { break }
                open[k] = bestIn
                isOpen[bestOut] = false
                isOpen[bestIn] = true
                current += bestDelta
                refresh()
            }
        }
        return open.sorted()
    }
}

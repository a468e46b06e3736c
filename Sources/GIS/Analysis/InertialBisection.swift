/// Divides a connected graph of weighted cells into `k` contiguous parts of nearly equal
/// weight by recursive inertial bisection (Simon 1991, "Partitioning of unstructured problems
/// for parallel processing"; Williams 1991): each step cuts the cells across the principal
/// axis of their mass at the weighted share k₁/k, moves every detached component to the other
/// side (so both halves stay contiguous), then trades boundary cells from the heavier half
/// while that keeps it contiguous and improves the balance. Deterministic: ties break by cell
/// index.
public struct InertialBisection {
    /// Cell centres (planar metres), balance weights, and inertia mass (weight plus a small
    /// area term, so empty cells still shape the axis).
    public var centres: [Coordinate]
    public var weights: [Double]
    public var mass: [Double]
    /// Neighbour lists over the cells (must form one connected graph).
    public var neighbours: [[Int]]

    public init(centres: [Coordinate], weights: [Double], mass: [Double], neighbours: [[Int]]) {
        self.centres = centres
        self.weights = weights
        self.mass = mass
        self.neighbours = neighbours
    }

    /// `k` parts (each non-empty when there are at least `k` cells), in recursion order.
    public func parts(_ k: Int) -> [[Int]] {
        split(Array(centres.indices), k)
    }

    func split(_ cells: [Int], _ k: Int) -> [[Int]] {
        guard k > 1, cells.count > 1 else { return [cells] }
        let k1 = k / 2, k2 = k - k1
        let total = cells.reduce(0.0) { $0 + weights[$1] }
        let target = total * Double(k1) / Double(k)
        let order = alongPrincipalAxis(cells)
        // The prefix whose weight is closest to the target, leaving each side enough cells.
        var best = max(1, min(k1, cells.count - 1)), bestError = Double.infinity, sum = 0.0
        for (n, c) in order.enumerated() {
            sum += weights[c]
            let size = n + 1
            guard size >= k1, cells.count - size >= k2 else { continue }
            let error = abs(sum - target)
            if error < bestError {
                bestError = error
                best = size
            }
        }
        var side = [Int: Bool]()  // true: first half
        for (n, c) in order.enumerated() { side[c] = n < best }
        reconnect(&side, cells: cells)
        let rank = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        rebalance(&side, cells: cells, target: target, rank: rank, minimum: (k1, k2))
        let a = cells.filter { side[$0] == true }, b = cells.filter { side[$0] == false }
        guard !a.isEmpty, !b.isEmpty else { return [cells] + Array(repeating: [], count: k - 1) }
        return split(a, k1) + split(b, k2)
    }

    /// Cells sorted by their projection on the principal axis of mass (largest eigenvector of
    /// the weighted covariance).
    func alongPrincipalAxis(_ cells: [Int]) -> [Int] {
        var m = 0.0, cx = 0.0, cy = 0.0
        for c in cells {
            m += mass[c]
            cx += mass[c] * centres[c].x
            cy += mass[c] * centres[c].y
        }
        guard m > 0 else { return cells }
        cx /= m
        cy /= m
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for c in cells {
            let dx = centres[c].x - cx, dy = centres[c].y - cy
            sxx += mass[c] * dx * dx
            syy += mass[c] * dy * dy
            sxy += mass[c] * dx * dy
        }
        // Angle of the major axis of the 2×2 symmetric matrix.
        let angle = 0.5 * atan2(2 * sxy, sxx - syy)
        let ux = cos(angle), uy = sin(angle)
        let projection = cells.map { ($0, (centres[$0].x - cx) * ux + (centres[$0].y - cy) * uy) }
        return projection.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    /// Components of one side, heaviest first (ties: more cells, then lowest index).
    func components(_ side: [Int: Bool], _ value: Bool, cells: [Int]) -> [[Int]] {
        var seen = Set<Int>()
        var out: [[Int]] = []
        for start in cells where side[start] == value && !seen.contains(start) {
            var stack = [start], part: [Int] = []
            seen.insert(start)
            while let c = stack.popLast() {
                part.append(c)
                for n in neighbours[c] where side[n] == value && !seen.contains(n) {
                    seen.insert(n)
                    stack.append(n)
                }
            }
            out.append(part)
        }
        func key(_ p: [Int]) -> (Double, Int, Int) { (p.reduce(0.0) { $0 + weights[$1] }, p.count, -(p.min() ?? 0)) }
        return out.sorted { key($0) > key($1) }
    }

    /// Moves detached components to the other side until both sides are connected.
    func reconnect(_ side: inout [Int: Bool], cells: [Int]) {
        for _ in 0..<32 {
            var changed = false
            for value in [true, false] {
                let parts = components(side, value, cells: cells)
                for part in parts.dropFirst() {
                    for c in part { side[c] = !value }
                    changed = true
                }
            }
            if !changed { return }
        }
    }

    /// Trades boundary cells from the heavier side to the lighter while the heavier stays
    /// connected, keeps enough cells for its parts and the imbalance shrinks; candidates nearest
    /// the cut first, at most 256 trades per cut.
    func rebalance(
        _ side: inout [Int: Bool], cells: [Int], target: Double, rank: [Int: Int], minimum: (Int, Int)
    ) {
        var weightA = cells.reduce(0.0) { $0 + (side[$1] == true ? weights[$1] : 0) }
        for _ in 0..<min(cells.count, 256) {
            let excess = weightA - target
            let heavy = excess > 0
            let candidates =
                cells
                .filter { c in
                    side[c] == heavy && weights[c] > 0 && abs(excess) - abs(abs(excess) - weights[c]) > 1e-9
                        && neighbours[c].contains { side[$0] == !heavy }
                }
                .sorted { a, b in
                    // First half cells near the end of the order are nearest the cut, and
                    // vice versa.
                    heavy ? (rank[a] ?? 0) > (rank[b] ?? 0) : (rank[a] ?? 0) < (rank[b] ?? 0)
                }
            var moved = false
            for c in candidates.prefix(12) {
                side[c] = !heavy
                let stillWhole = components(side, heavy, cells: cells).count <= 1
                let sideCount = cells.count(where: { side[$0] == heavy })
                if stillWhole && sideCount >= (heavy ? minimum.0 : minimum.1) {
                    weightA += heavy ? -weights[c] : weights[c]
                    moved = true
                    break
                }
                side[c] = heavy
            }
            if !moved { return }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A k-d tree (Bentley 1975, doi:10.1145/361002.361007) over points of a projected (metric)
/// CRS, answering nearest-neighbour and radius queries in **planar metres**, for comparisons
/// with tools that measure in a projection (PySAL access, GeoPandas). Distances are
/// `√(dx² + dy²)`; the nearest point breaks ties to the lower index. Leaves of 12 points.
///
/// Immutable and Sendable: build once, query from several tasks.
public struct PlaneIndex: Sendable {
    public let points: [Coordinate]
    private let xy: [Double]  // 2 per point, in tree order
    private let order: [Int32]
    static let leafSize = 12

    public init(_ points: [Coordinate]) {
        self.points = points
        let idx = KDTreeOrder.build(count: points.count, axes: 2, leafSize: Self.leafSize) { i, axis in
            axis == 0 ? points[i].x : points[i].y
        }
        order = idx
        xy = idx.flatMap { [points[Int($0)].x, points[Int($0)].y] }
    }

    @inline(__always)
    private func d2(_ k: Int, _ q: Coordinate) -> Double {
        let dx = xy[2 * k] - q.x, dy = xy[2 * k + 1] - q.y
        return dx * dx + dy * dy
    }

    private func nearest(_ q: Coordinate, _ lo: Int, _ hi: Int, _ depth: Int, _ best: inout (Int, Double)) {
        if hi - lo <= Self.leafSize {
            for k in lo..<hi {
                let d = d2(k, q), i = Int(order[k])
                if d < best.1 || (d == best.1 && i < best.0) { best = (i, d) }
            }
            return
        }
        let mid = (lo + hi) / 2
        let d = d2(mid, q), i = Int(order[mid])
        if d < best.1 || (d == best.1 && i < best.0) { best = (i, d) }
        let diff = (depth % 2 == 0 ? q.x : q.y) - xy[2 * mid + depth % 2]
        let (near, far) = diff <= 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
        nearest(q, near.0, near.1, depth + 1, &best)
        if diff * diff <= best.1 { nearest(q, far.0, far.1, depth + 1, &best) }
    }

    /// The nearest point and its distance, ties to the lower index; nil for an empty index.
    public func nearest(_ q: Coordinate) -> (index: Int, metres: Double)? {
        guard !points.isEmpty else { return nil }
        var best = (Int.max, Double.infinity)
        nearest(q, 0, order.count, 0, &best)
        let p = points[best.0]
        let dx = p.x - q.x, dy = p.y - q.y
        return (best.0, (dx * dx + dy * dy).squareRoot())
    }

    private func collect(
        _ q: Coordinate, _ r2: Double, _ lo: Int, _ hi: Int, _ depth: Int, _ out: inout [(index: Int32, chord2: Double)]
    ) {
        if hi - lo <= Self.leafSize {
            for k in lo..<hi {
                let d = d2(k, q)
                if d <= r2 { out.append((order[k], d)) }
            }
            return
        }
        let mid = (lo + hi) / 2
        let d = d2(mid, q)
        if d <= r2 { out.append((order[mid], d)) }
        let diff = (depth % 2 == 0 ? q.x : q.y) - xy[2 * mid + depth % 2]
        if diff <= 0 || diff * diff <= r2 { collect(q, r2, lo, mid, depth + 1, &out) }
        if diff >= 0 || diff * diff <= r2 { collect(q, r2, mid + 1, hi, depth + 1, &out) }
    }

    /// Every point whose squared distance is at most (1 + 10⁻¹²) `metres`², as (index,
    /// squared distance), in no particular order, into `out` (cleared first). Callers compare
    /// the distance itself.
    public func candidates(_ q: Coordinate, metres: Double, into out: inout [(index: Int32, chord2: Double)]) {
        out.removeAll(keepingCapacity: true)
        guard !points.isEmpty, metres >= 0 else { return }
        collect(q, metres * metres * (1 + 1e-12), 0, order.count, 0, &out)
    }

    /// Every point within `metres`, as (index, metres), by index.
    public func within(_ q: Coordinate, metres: Double) -> [(index: Int, metres: Double)] {
        var hits: [(index: Int32, chord2: Double)] = []
        candidates(q, metres: metres, into: &hits)
        return hits.compactMap { h -> (index: Int, metres: Double)? in
            let p = points[Int(h.index)]
            let dx = p.x - q.x, dy = p.y - q.y
            let d = (dx * dx + dy * dy).squareRoot()
            return d <= metres ? (Int(h.index), d) : nil
        }.sorted { $0.index < $1.index }
    }
}

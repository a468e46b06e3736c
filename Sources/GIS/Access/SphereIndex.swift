import Foundation

/// A k-d tree (Bentley 1975, doi:10.1145/361002.361007) over longitude/latitude points placed
/// on the unit sphere, answering nearest-neighbour and radius queries in **geodesic metres on
/// the WGS 84 ellipsoid**.
///
/// The tree ranks candidates by chord length on the unit sphere, which orders points exactly
/// as the great-circle angle does. Ellipsoidal geodesic distance is the angle times a radius of
/// curvature between b²/a ≈ 6 335 439 m and a²/b ≈ 6 399 594 m, so the true nearest point lies
/// within the angle g / 6 335 439 m of the query, where g is the geodesic distance to the
/// chord-nearest point; every point in that cone is measured with `geod_inverse` and the
/// smallest wins (ties to the lower index). The answer is exact, not an approximation.
///
/// Immutable and Sendable: build once, query from several tasks.
public struct SphereIndex: Sendable {
    /// Smallest radius of curvature of WGS 84 (meridional, at the equator), metres.
    static let minimumRadius = 6_335_439.0
    /// Largest radius of curvature (polar), metres.
    static let maximumRadius = 6_399_594.0

    public let points: [Coordinate]
    private let xyz: [Double]  // 3 per point, in tree order
    private let order: [Int32]  // tree position → point index
    private let geodesic = Geodesic()

    public init(_ lonLat: [Coordinate]) {
        points = lonLat
        var idx = (0..<lonLat.count).map { Int32($0) }
        let unit = lonLat.map(Self.unitVector)
        Self.build(&idx, unit, 0, idx.count, 0)
        order = idx
        var flat = [Double](repeating: 0, count: idx.count * 3)
        for (k, i) in idx.enumerated() {
            let v = unit[Int(i)]
            flat[3 * k] = v.0
            flat[3 * k + 1] = v.1
            flat[3 * k + 2] = v.2
        }
        xyz = flat
    }

    public var count: Int { points.count }

    static func unitVector(_ c: Coordinate) -> (Double, Double, Double) {
        let lat = c.y * .pi / 180, lon = c.x * .pi / 180
        return (cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat))
    }

    static func component(_ v: (Double, Double, Double), _ axis: Int) -> Double {
        axis == 0 ? v.0 : (axis == 1 ? v.1 : v.2)
    }

    /// Median split on the axis cycling with depth (quickselect, so building is O(n log n)).
    private static func build(_ idx: inout [Int32], _ v: [(Double, Double, Double)], _ lo: Int, _ hi: Int, _ depth: Int)
    {
        guard hi - lo > 1 else { return }
        let axis = depth % 3
        let mid = (lo + hi) / 2
        var left = lo, right = hi - 1
        while left < right {
            let pivot = component(v[Int(idx[(left + right) / 2])], axis)
            var i = left, j = right
            while i <= j {
                while component(v[Int(idx[i])], axis) < pivot { i += 1 }
                while component(v[Int(idx[j])], axis) > pivot { j -= 1 }
                if i <= j {
                    idx.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if mid <= j { right = j } else if mid >= i { left = i } else { break }
        }
        build(&idx, v, lo, mid, depth + 1)
        build(&idx, v, mid + 1, hi, depth + 1)
    }

    /// The tree's arrays as raw buffers: queries touch no reference counts, so threads
    /// querying one index at once do not contend on them.
    private struct Tree {
        let xyz: UnsafeBufferPointer<Double>
        let order: UnsafeBufferPointer<Int32>

        func chord2(_ k: Int, _ q: (Double, Double, Double)) -> Double {
            let dx = xyz[3 * k] - q.0, dy = xyz[3 * k + 1] - q.1, dz = xyz[3 * k + 2] - q.2
            return dx * dx + dy * dy + dz * dz
        }

        /// Appends the tree positions of points within squared chord `r2` of `q` (no closure:
        /// a closure passed down the recursion is retained at every level).
        func within(
            _ q: (Double, Double, Double), _ r2: Double, _ lo: Int, _ hi: Int, _ depth: Int, _ hits: inout [Int]
        ) {
            guard hi > lo else { return }
            let mid = (lo + hi) / 2
            if chord2(mid, q) <= r2 { hits.append(mid) }
            let axis = depth % 3
            let diff = SphereIndex.component(q, axis) - xyz[3 * mid + axis]
            if diff <= 0 || diff * diff <= r2 { within(q, r2, lo, mid, depth + 1, &hits) }
            if diff >= 0 || diff * diff <= r2 { within(q, r2, mid + 1, hi, depth + 1, &hits) }
        }

        func nearestChord(
            _ q: (Double, Double, Double), _ lo: Int, _ hi: Int, _ depth: Int, _ best: inout (Int, Double)
        ) {
            guard hi > lo else { return }
            let mid = (lo + hi) / 2
            let d = chord2(mid, q)
            if d < best.1 { best = (mid, d) }
            let axis = depth % 3
            let diff = SphereIndex.component(q, axis) - xyz[3 * mid + axis]
            let (near, far) = diff <= 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
            nearestChord(q, near.0, near.1, depth + 1, &best)
            if diff * diff < best.1 { nearestChord(q, far.0, far.1, depth + 1, &best) }
        }
    }

    private func withTree<R>(_ body: (Tree) -> R) -> R {
        xyz.withUnsafeBufferPointer { x in order.withUnsafeBufferPointer { o in body(Tree(xyz: x, order: o)) } }
    }

    /// Squared chord of the angle `metres / radius`.
    private static func chord2(metres: Double, radius: Double) -> Double {
        let theta = min(.pi, metres / radius)
        let c = 2 * sin(theta / 2)
        return c * c
    }

    /// The point nearest to `q` by geodesic distance, with that distance in metres; nil when
    /// the index is empty.
    public func nearest(_ q: Coordinate) -> (index: Int, metres: Double)? {
        guard !points.isEmpty else { return nil }
        let v = Self.unitVector(q)
        return withTree { tree in
            points.withUnsafeBufferPointer { points in
                var best = (0, Double.infinity)
                tree.nearestChord(v, 0, tree.order.count, 0, &best)
                var bestIndex = Int(tree.order[best.0])
                var bestMetres = geodesic.distance(q, points[bestIndex])
                let r2 = Self.chord2(metres: bestMetres, radius: Self.minimumRadius) * (1 + 1e-12) + 1e-24
                var hits: [Int] = []
                tree.within(v, r2, 0, tree.order.count, 0, &hits)
                let chordBest = bestIndex
                for k in hits {
                    let i = Int(tree.order[k])
                    guard i != chordBest else { continue }
                    let d = geodesic.distance(q, points[i])
                    if d < bestMetres || (d == bestMetres && i < bestIndex) {
                        bestMetres = d
                        bestIndex = i
                    }
                }
                return (bestIndex, bestMetres)
            }
        }
    }

    /// Every point within `metres` (geodesic) of `q`, as (index, metres), by index.
    public func within(_ q: Coordinate, metres: Double) -> [(index: Int, metres: Double)] {
        guard !points.isEmpty, metres >= 0 else { return [] }
        let v = Self.unitVector(q)
        var out: [(index: Int, metres: Double)] = []
        withTree { tree in
            points.withUnsafeBufferPointer { points in
                let r2 = Self.chord2(metres: metres, radius: Self.minimumRadius) * (1 + 1e-12) + 1e-24
                var hits: [Int] = []
                tree.within(v, r2, 0, tree.order.count, 0, &hits)
                for k in hits {
                    let i = Int(tree.order[k])
                    let d = geodesic.distance(q, points[i])
                    if d <= metres { out.append((i, d)) }
                }
            }
        }
        return out.sorted { $0.index < $1.index }
    }
}

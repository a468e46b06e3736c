import Foundation

/// A k-d tree (Bentley 1975, doi:10.1145/361002.361007) over longitude/latitude points placed
/// on the unit sphere, answering nearest-neighbour and radius queries in **geodesic metres on
/// the WGS 84 ellipsoid**.
///
/// The tree ranks candidates by chord length on the unit sphere, which orders points exactly
/// as the great-circle angle does. Ellipsoidal geodesic distance is the angle times a radius of
/// curvature between b²/a ≈ 6 335 439 m and a²/b ≈ 6 399 594 m, so every point at least as
/// near on the ellipsoid as the chord-nearest one has a squared chord within (a²/b ÷ b²/a)²
/// of the smallest; those candidates are measured with `geod_inverse` and the smallest wins
/// (ties to the lower index). The answer is exact, not an approximation. Leaves hold 12
/// points.
///
/// Immutable and Sendable: build once, query from several tasks.
public struct SphereIndex: Sendable {
    /// Smallest radius of curvature of WGS 84 (meridional, at the equator), metres.
    static let minimumRadius = 6_335_439.0
    /// Largest radius of curvature (polar), metres.
    static let maximumRadius = 6_399_594.0

    public let points: [Coordinate]
    let xyz: [Double]  // 3 per point, in tree order
    let order: [Int32]  // tree position → point index
    let position: [Int32]  // point index → tree position
    let geodesic = Geodesic()

    public init(_ lonLat: [Coordinate]) {
        points = lonLat
        let unit = lonLat.map(Self.unitVector)
        let idx = KDTreeOrder.build(count: unit.count, axes: 3, leafSize: Self.leafSize) { i, axis in
            Self.component(unit[i], axis)
        }
        order = idx
        var inverse = [Int32](repeating: 0, count: idx.count)
        for (k, i) in idx.enumerated() { inverse[Int(i)] = Int32(k) }
        position = inverse
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

    /// Ranges of at most this many points are leaves, scanned in a row: far fewer calls than
    /// descending to single points.
    static let leafSize = 12

    /// The tree's arrays as raw buffers: queries touch no reference counts, so threads
    /// querying one index at once do not contend on them.
    struct Tree {
        let xyz: UnsafeBufferPointer<Double>
        let order: UnsafeBufferPointer<Int32>

        func chord2(_ k: Int, _ q: (Double, Double, Double)) -> Double {
            let dx = xyz[3 * k] - q.0, dy = xyz[3 * k + 1] - q.1, dz = xyz[3 * k + 2] - q.2
            return dx * dx + dy * dy + dz * dz
        }

        /// Appends (point index, squared chord) for every point within squared chord `r2`.
        func collect(
            _ q: (Double, Double, Double), _ r2: Double, _ lo: Int, _ hi: Int, _ depth: Int,
            _ out: inout [(index: Int32, chord2: Double)]
        ) {
            if hi - lo <= SphereIndex.leafSize {
                for k in lo..<hi {
                    let d = chord2(k, q)
                    if d <= r2 { out.append((order[k], d)) }
                }
                return
            }
            let mid = (lo + hi) / 2
            let dm = chord2(mid, q)
            if dm <= r2 { out.append((order[mid], dm)) }
            let axis = depth % 3
            let diff = SphereIndex.component(q, axis) - xyz[3 * mid + axis]
            if diff <= 0 || diff * diff <= r2 { collect(q, r2, lo, mid, depth + 1, &out) }
            if diff >= 0 || diff * diff <= r2 { collect(q, r2, mid + 1, hi, depth + 1, &out) }
        }

        /// One descent that finds the chord-nearest point and, on the way, every point whose
        /// squared chord is within `widen` × the best squared chord so far (pruning by that
        /// widened radius). At the end `hits` holds at least every point within `widen` × the
        /// final best (callers filter).
        func nearestCandidates(
            _ q: (Double, Double, Double), _ lo: Int, _ hi: Int, _ depth: Int, _ widen: Double,
            _ best: inout Double, _ hits: inout [(Int, Double)]
        ) {
            if hi - lo <= SphereIndex.leafSize {
                for k in lo..<hi {
                    let d = chord2(k, q)
                    if d < best { best = d }
                    if d <= best * widen { hits.append((k, d)) }
                }
                return
            }
            let mid = (lo + hi) / 2
            let d = chord2(mid, q)
            if d < best { best = d }
            if d <= best * widen { hits.append((mid, d)) }
            let axis = depth % 3
            let diff = SphereIndex.component(q, axis) - xyz[3 * mid + axis]
            let (near, far) = diff <= 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
            nearestCandidates(q, near.0, near.1, depth + 1, widen, &best, &hits)
            if diff * diff <= best * widen { nearestCandidates(q, far.0, far.1, depth + 1, widen, &best, &hits) }
        }

        /// The two chord-nearest points, by tree position, improving `pair` (which may start
        /// from two known points, as bounds: the answer is the same, found sooner; a point at
        /// the same place as the first counts as the second, at the same chord).
        func twoNearest(_ q: (Double, Double, Double), _ lo: Int, _ hi: Int, _ depth: Int, _ pair: inout NearestPair) {
            if hi - lo <= SphereIndex.leafSize {
                for k in lo..<hi { pair.offer(k, chord2(k, q)) }
                return
            }
            let mid = (lo + hi) / 2
            pair.offer(mid, chord2(mid, q))
            let axis = depth % 3
            let diff = SphereIndex.component(q, axis) - xyz[3 * mid + axis]
            let (near, far) = diff <= 0 ? ((lo, mid), (mid + 1, hi)) : ((mid + 1, hi), (lo, mid))
            twoNearest(q, near.0, near.1, depth + 1, &pair)
            if diff * diff <= pair.second { twoNearest(q, far.0, far.1, depth + 1, &pair) }
        }
    }

    /// The two nearest points found so far (tree positions, squared chords; −1 and ∞ for none).
    struct NearestPair {
        var first = -1, best = Double.infinity
        var runner = -1, second = Double.infinity

        @inline(__always) mutating func offer(_ k: Int, _ d: Double) {
            guard k != first, k != runner else { return }
            if d < best || (d == best && k < first) {
                (runner, second) = (first, best)
                (first, best) = (k, d)
            } else if d < second || (d == second && k < runner) {
                (runner, second) = (k, d)
            }
        }
    }

    func withTree<R>(_ body: (Tree) -> R) -> R {
        xyz.withUnsafeBufferPointer { x in order.withUnsafeBufferPointer { o in body(Tree(xyz: x, order: o)) } }
    }

    /// Squared chord of the angle `metres / radius`.
    private static func chord2(metres: Double, radius: Double) -> Double {
        let theta = min(.pi, metres / radius)
        let c = 2 * sin(theta / 2)
        return c * c
    }

    /// Squared ratio of the largest to the smallest radius of curvature, with a margin: a
    /// point whose geodesic distance is at most the best one's has a squared chord at most this
    /// factor times the best squared chord (the chord 2 sin(θ/2) is concave, so
    /// chord(kθ) ≤ k·chord(θ) for k ≥ 1).
    static let candidateWidening: Double = {
        let k = maximumRadius / minimumRadius
        return k * k * (1 + 1e-9)
    }()

    /// The point nearest to `q` by geodesic distance, with that distance in metres; nil when
    /// the index is empty.
    ///
    /// One k-d descent collects the chord-nearest point and every point whose squared chord is
    /// within ``candidateWidening`` of it; those are measured with `geod_inverse` and the
    /// smallest wins, ties to the lower index. A non-finite query has none (nil).
    public func nearest(_ q: Coordinate) -> (index: Int, metres: Double)? {
        guard !points.isEmpty, q.x.isFinite, q.y.isFinite else { return nil }
        let v = Self.unitVector(q)
        let widen = Self.candidateWidening
        var hits: [(Int, Double)] = []
        return withTree { tree in
            points.withUnsafeBufferPointer { points in
                var best = Double.infinity
                tree.nearestCandidates(v, 0, tree.order.count, 0, widen, &best, &hits)
                var bestIndex = -1
                var bestMetres = Double.infinity
                let limit = best * widen + 1e-24
                for (k, chord) in hits where chord <= limit {
                    let i = Int(tree.order[k])
                    let d = geodesic.distance(q, points[i])
                    if d < bestMetres || (d == bestMetres && i < bestIndex) {
                        bestMetres = d
                        bestIndex = i
                    }
                }
                return bestIndex >= 0 ? (bestIndex, bestMetres) : nil
            }
        }
    }

    /// Every point within `metres` (geodesic) of `q`, as (index, metres), by index.
    public func within(_ q: Coordinate, metres: Double) -> [(index: Int, metres: Double)] {
        var hits: [(index: Int32, chord2: Double)] = []
        candidates(q, metres: metres, into: &hits)
        return hits.compactMap { h -> (index: Int, metres: Double)? in
            let d = geodesic.distance(q, points[Int(h.index)])
            return d <= metres ? (Int(h.index), d) : nil
        }.sorted { $0.index < $1.index }
    }

    /// Every point whose squared chord to `q` on the unit sphere is at most that of the
    /// geodesic `metres` (a superset of the points within `metres`), as (index, squared
    /// chord), in no particular order, into `out` (cleared first).
    public func candidates(_ q: Coordinate, metres: Double, into out: inout [(index: Int32, chord2: Double)]) {
        out.removeAll(keepingCapacity: true)
        guard !points.isEmpty, metres >= 0 else { return }
        let v = Self.unitVector(q)
        let r2 = Self.chord2(metres: metres, radius: Self.minimumRadius) * (1 + 1e-12) + 1e-24
        withTree { tree in tree.collect(v, r2, 0, tree.order.count, 0, &out) }
    }

    /// The largest radius of curvature of WGS 84 within `latitudeBound` degrees of the
    /// equator: N(φ) = a / √(1 − e² sin²φ).
    public static func largestRadius(latitudeBound: Double) -> Double {
        let e2 = 0.006_694_379_990_141_316  // WGS 84 first eccentricity squared
        let s = sin(min(90, latitudeBound) * .pi / 180)
        return 6_378_137 / (1 - e2 * s * s).squareRoot()
    }

    /// Bounds on the geodesic distance between two points whose unit-sphere squared chord is
    /// `chord2`, when every point involved lies within the latitudes where the largest radius
    /// of curvature is `largestRadius`: the ellipsoid's metric in geodetic coordinates is the
    /// unit sphere's scaled by a radius of curvature between M(0) = b²/a and N(φ), so the
    /// geodesic is at least θ·b²/a and at most θ·N(φmax) (θ the great-circle angle), widened
    /// by 10⁻⁹ and 1 µm for rounding in the chord and in `geod_inverse`.
    @inline(__always)
    public static func geodesicBounds(chord2: Double, largestRadius: Double) -> (low: Double, high: Double) {
        let theta = 2 * asin(min(1, chord2.squareRoot() / 2))
        return (max(0, theta * minimumRadius * (1 - 1e-9) - 1e-6), theta * largestRadius * (1 + 1e-9) + 1e-6)
    }
}

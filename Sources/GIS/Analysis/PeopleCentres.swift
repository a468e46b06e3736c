import Foundation

/// Where each polygon's people live, from points that stand for them (dwellings, census
/// blocks, or a proxy such as schools): for distances "from the people to the seat", a large
/// sparse parroquia is not at its polygon's interior point but where its points gather (the
/// people of Tomás de Berlanga live at Santo Tomás, in the south of Isabela; the interior
/// point of its polygon, which holds the north of the island too, is 65 km away).
///
/// **The centre of a polygon** is the point of its own, among those falling inside it, that
/// minimises the weighted sum of distances to all of them (a weighted medoid: a real settlement,
/// never a spot between two towns or in a lake). It is found as the medoid among the
/// ``candidates`` points nearest the weighted geometric median, the median computed by
/// Weiszfeld's iteration (Weiszfeld 1937; Kuhn 1973) from the weighted mean. Distances are
/// planar in the layer's ``MetricFrame`` (UTM), exact enough to choose among a polygon's points.
///
/// **Order.** Each polygon's points are sorted by coordinate and weight before any sum, so the
/// centre does not depend on the order of the file.
///
/// **Cost.** Locating is ``PolygonPointIndex``'s; per polygon of m points, O(m · (I + c)) for
/// I ≤ ``iterations`` Weiszfeld steps and c candidates, and O(m) memory.
public enum PeopleCentres {
    /// The medoid is chosen among this many points nearest the geometric median.
    public static let candidates = 32
    /// Weiszfeld steps at most; the iteration also stops when a step moves less than 0.1 m.
    public static let iterations = 200

    /// What was found, parallel to the layer's features.
    public struct Result: Sendable {
        /// The chosen point (layer CRS), nil for a polygon with no point of positive weight.
        public var centres: [Coordinate?]
        /// Points inside each polygon.
        public var pointsInside: [Int]
        /// Points covered by no polygon (ignored).
        public var outside: Int
    }

    /// The centre of every polygon of `layer` from `points` (coordinates in the layer's CRS).
    public static func locate(_ points: [WeightedPoint], in layer: Layer) throws -> Result {
        let locator = PolygonLocator(layer: layer, context: GeometryContext())
        let owner = locator.locateAll(points.map(\.coordinate))
        var metric = points.map(\.coordinate)
        try MetricFrame(for: layer, context: try ProjContext()).toMetric(&metric)
        var members = [[Int]](repeating: [], count: layer.features.count)
        var outside = 0
        for (k, polygon) in owner.enumerated() {
            if polygon < 0 { outside += 1 } else { members[Int(polygon)].append(k) }
        }
        let centres = members.map { list -> Coordinate? in
            let sorted = list.sorted {
                (metric[$0].x, metric[$0].y, points[$0].weight) < (metric[$1].x, metric[$1].y, points[$1].weight)
            }
            let chosen = medoid(sorted.map { metric[$0] }, weights: sorted.map { points[$0].weight })
            return chosen.map { points[sorted[$0]].coordinate }
        }
        return Result(centres: centres, pointsInside: members.map(\.count), outside: outside)
    }

    /// Index of the weighted medoid of `points` (planar metres) among the ``candidates``
    /// nearest their weighted geometric median; nil when no weight is positive. Ties go to the
    /// lower index.
    public static func medoid(_ points: [Coordinate], weights: [Double]) -> Int? {
        let total = weights.reduce(0, +)
        guard total > 0, total.isFinite, points.count == weights.count else { return nil }
        let median = geometricMedian(points, weights: weights, total: total)
        let near = points.indices.sorted {
            (distance(points[$0], median), $0) < (distance(points[$1], median), $1)
        }.prefix(candidates)
        var best: (cost: Double, index: Int)? = nil
        for c in near {
            var cost = 0.0
            for (p, w) in zip(points, weights) where w > 0 { cost += w * distance(p, points[c]) }
            if best.map({ (cost, c) < ($0.cost, $0.index) }) ?? true { best = (cost, c) }
        }
        return best?.index
    }

    /// Weiszfeld's iteration y ← Σ (wᵢ / dᵢ) xᵢ / Σ (wᵢ / dᵢ) from the weighted mean; it stops
    /// on a point (where the step is undefined: the chosen medoid then settles it), after
    /// ``iterations`` steps, or when a step moves less than 0.1 m.
    static func geometricMedian(_ points: [Coordinate], weights: [Double], total: Double) -> Coordinate {
        var y = Coordinate(0, 0)
        for (p, w) in zip(points, weights) {
            y.x += w * p.x / total
            y.y += w * p.y / total
        }
        for _ in 0..<iterations {
            var sum = Coordinate(0, 0)
            var inverse = 0.0
            for (p, w) in zip(points, weights) where w > 0 {
                let d = distance(p, y)
                if d < 1e-6 { return y }
                sum.x += w * p.x / d
                sum.y += w * p.y / d
                inverse += w / d
            }
            let next = Coordinate(sum.x / inverse, sum.y / inverse)
            let step = distance(next, y)
            y = next
            if step < 0.1 { break }
        }
        return y
    }

    static func distance(_ a: Coordinate, _ b: Coordinate) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }
}

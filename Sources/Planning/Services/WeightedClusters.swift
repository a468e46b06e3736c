import Foundation

/// Population points grouped into a few weighted centres: where a unit's people are, as
/// candidate sites spread over it and as its demand for placement (instead of one seat per
/// parroquia). Weighted k-means (Lloyd 1982) on a local equirectangular plane (longitude
/// scaled by the cosine of the mean latitude; fine over a parroquia), started deterministically
/// by weighted farthest-point seeding (the heaviest point first; then, each time, the point
/// with the largest weight × squared distance to its nearest centre; ties by position), at
/// most 25 iterations. Each centre is then moved to the input point nearest it, so every
/// centre is an inhabited place. O(iterations × points × k).
public enum WeightedClusters {
    /// A centre: an input point's location and the total weight of the points nearest it.
    public struct Centre: Sendable, Equatable {
        public var location: GeoPoint
        public var weight: Double
        public init(location: GeoPoint, weight: Double) {
            self.location = location
            self.weight = weight
        }
    }

    /// At most `count` centres of `points` (fewer when there are fewer distinct points), in
    /// order of decreasing weight (ties by longitude, then latitude). Points of zero or
    /// non-finite weight or position are ignored; the centres' weights sum to the rest.
    public static func centres(_ points: [(GeoPoint, Double)], count: Int) -> [Centre] {
        // In a canonical order, so the centres never depend on the order of the input.
        let kept = points.filter { $0.1 > 0 && $0.1.isFinite && $0.0.lon.isFinite && $0.0.lat.isFinite }
            .sorted { ($0.0.lon, $0.0.lat, $0.1) < ($1.0.lon, $1.0.lat, $1.1) }
        guard !kept.isEmpty, count >= 1 else { return [] }
        let total = kept.reduce(0) { $0 + $1.1 }
        let meanLat = kept.reduce(0) { $0 + $1.0.lat * $1.1 } / total
        let scale = cos(meanLat * .pi / 180)
        let xy = kept.map { (x: $0.0.lon * scale, y: $0.0.lat) }
        let w = kept.map(\.1)
        func d2(_ a: (x: Double, y: Double), _ b: (x: Double, y: Double)) -> Double {
            (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)
        }
        // Seeding.
        var first = 0
        for i in kept.indices where w[i] > w[first] { first = i }
        var centres = [xy[first]]
        var nearest = xy.map { d2($0, xy[first]) }
        while centres.count < count {
            var best = -1
            var bestScore = 0.0
            for i in kept.indices where nearest[i] * w[i] > bestScore {
                best = i
                bestScore = nearest[i] * w[i]
            }
            guard best >= 0 else { break }  // every point sits on a centre
            centres.append(xy[best])
            for i in kept.indices { nearest[i] = min(nearest[i], d2(xy[i], xy[best])) }
        }
        // Lloyd iterations.
        var owner = [Int](repeating: 0, count: kept.count)
        func assign() -> Bool {
            var changed = false
            for i in kept.indices {
                var best = 0
                var bestD = d2(xy[i], centres[0])
                for c in 1..<centres.count {
                    let d = d2(xy[i], centres[c])
                    if d < bestD {
                        best = c
                        bestD = d
                    }
                }
                if owner[i] != best {
                    owner[i] = best
                    changed = true
                }
            }
            return changed
        }
        _ = assign()
        for _ in 0..<25 {
            var sx = [Double](repeating: 0, count: centres.count)
            var sy = sx
            var sw = sx
            for i in kept.indices {
                sx[owner[i]] += xy[i].x * w[i]
                sy[owner[i]] += xy[i].y * w[i]
                sw[owner[i]] += w[i]
            }
            for c in centres.indices where sw[c] > 0 { centres[c] = (sx[c] / sw[c], sy[c] / sw[c]) }
            if !assign() { break }
        }
        // Each centre moved to its nearest input point; weights are the points it holds.
        var out: [Centre] = []
        for c in centres.indices {
            let members = kept.indices.filter { owner[$0] == c }
            guard !members.isEmpty else { continue }
            var snap = members[0]
            for i in members where d2(xy[i], centres[c]) < d2(xy[snap], centres[c]) { snap = i }
            out.append(Centre(location: kept[snap].0, weight: members.reduce(0) { $0 + w[$1] }))
        }
        return out.sorted {
            ($0.weight, -$0.location.lon, -$0.location.lat) > ($1.weight, -$1.location.lon, -$1.location.lat)
        }
    }
}

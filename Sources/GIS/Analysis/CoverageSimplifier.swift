/// Simplifies a polygon coverage without opening gaps or overlaps between neighbours: the
/// boundaries are cut into arcs at nodes (vertices where three or more boundary edges meet),
/// each shared arc is simplified once with Douglas–Peucker (Douglas & Peucker 1973,
/// doi:10.3138/FM57-6770-U75U-7727) keeping its end nodes, and every ring is rebuilt from the
/// simplified arcs, so two neighbours keep the very same border. Works on exactly matching
/// vertices (clean coverages such as INEC's DPA); a dirty layer should be repaired first.
///
/// Rings that would collapse below four positions keep their original shape (counted in
/// ``Report/keptRings``); results GEOS finds invalid are made valid and counted.
public enum CoverageSimplifier {
    public struct Report: Sendable {
        public var verticesBefore = 0
        public var verticesAfter = 0
        public var arcs = 0
        public var keptRings = 0
        public var madeValid = 0
    }

    private struct RingRef {
        var feature: Int
        var polygon: Int
        var ring: Int
    }

    /// `tolerance` in the units of the coordinates (metres in a projected CRS).
    public static func simplify(_ geometries: [GeometryValue?], tolerance: Double, context: GeometryContext) throws -> (
        [GeometryValue?], Report
    ) {
        var report = Report()
        // All rings, open (no closing duplicate).
        var rings: [[Coordinate]] = []
        var refs: [RingRef] = []
        var polygons: [[PolygonValue]] = geometries.map { $0?.polygons ?? [] }
        for (f, ps) in polygons.enumerated() {
            for (p, poly) in ps.enumerated() {
                for (r, ring) in poly.rings.enumerated() where ring.count >= 4 {
                    rings.append(Array(ring.dropLast()))
                    refs.append(RingRef(feature: f, polygon: p, ring: r))
                    report.verticesBefore += ring.count
                }
            }
        }
        // Degree of each vertex in the graph of distinct boundary edges.
        var neighbours: [Coordinate: Set<Coordinate>] = [:]
        for ring in rings {
            for i in ring.indices {
                let a = ring[i], b = ring[(i + 1) % ring.count]
                guard a != b else { continue }
                neighbours[a, default: []].insert(b)
                neighbours[b, default: []].insert(a)
            }
        }
        func isNode(_ c: Coordinate) -> Bool { (neighbours[c]?.count ?? 0) != 2 }
        func less(_ a: Coordinate, _ b: Coordinate) -> Bool { (a.x, a.y) < (b.x, b.y) }

        var simplifiedArcs: [[Coordinate]: [Coordinate]] = [:]
        var rebuilt: [[Coordinate]] = []
        for ring in rings {
            var nodes = ring.indices.filter { isNode(ring[$0]) }
            if nodes.isEmpty {
                // A ring no other ring branches from: start at its smallest vertex so that a
                // twin ring (a hole filled by an island) is cut the same way.
                nodes = [ring.indices.min { less(ring[$0], ring[$1]) } ?? 0]
            }
            var out: [Coordinate] = []
            for (k, start) in nodes.enumerated() {
                let end = k + 1 < nodes.count ? nodes[k + 1] : nodes[0] + ring.count
                let arc = (start...end).map { ring[$0 % ring.count] }
                let reversed = Array(arc.reversed())
                let forward = !reversed.lexicographicallyPrecedes(arc) { less($0, $1) }
                let key = forward ? arc : reversed
                let simple: [Coordinate]
                if let cached = simplifiedArcs[key] {
                    simple = cached
                } else {
                    simple = douglasPeucker(key, tolerance: tolerance)
                    simplifiedArcs[key] = simple
                }
                let oriented = forward ? simple : simple.reversed()
                out.append(contentsOf: out.isEmpty ? oriented[...] : oriented.dropFirst())
            }
            if out.first != out.last, let first = out.first { out.append(first) }
            rebuilt.append(out)
        }
        report.arcs = simplifiedArcs.count
        for (k, ref) in refs.enumerated() {
            var ring = rebuilt[k]
            if ring.count < 4 || abs(Ring.signedArea(ring)) == 0 {
                report.keptRings += 1
                ring = rings[k] + [rings[k][0]]
            }
            if ref.ring == 0 {
                polygons[ref.feature][ref.polygon].exterior = ring
            } else {
                polygons[ref.feature][ref.polygon].holes[ref.ring - 1] = ring
            }
        }
        var out: [GeometryValue?] = []
        for (f, g) in geometries.enumerated() {
            guard let g, !g.polygons.isEmpty else {
                out.append(g)
                continue
            }
            var value: GeometryValue =
                polygons[f].count == 1 && { if case .polygon = g { true } else { false } }()
                ? .polygon(polygons[f][0]) : .multiPolygon(polygons[f])
            let built = try context.geometry(value)
            if try !built.isValid() {
                value = try LayerRepair.polygonal(try built.makeValid(), context: context).value()
                report.madeValid += 1
            }
            report.verticesAfter += value.vertexCount
            out.append(value)
        }
        return (out, report)
    }

    /// Douglas–Peucker on an open path (or a closed one, whose first and last positions are
    /// equal), keeping both ends.
    static func douglasPeucker(_ path: [Coordinate], tolerance: Double) -> [Coordinate] {
        guard path.count > 2 else { return path }
        var keep = [Bool](repeating: false, count: path.count)
        keep[0] = true
        keep[path.count - 1] = true
        var stack = [(0, path.count - 1)]
        while let (lo, hi) = stack.popLast() {
            guard hi > lo + 1 else { continue }
            var worst = -1.0
            var at = lo
            for i in (lo + 1)..<hi {
                let d = segmentDistance(path[i], path[lo], path[hi])
                if d > worst {
                    worst = d
                    at = i
                }
            }
            // A closed path's first split always happens (its chord has length zero).
            if worst > tolerance || (lo == 0 && hi == path.count - 1 && path[lo] == path[hi]) {
                keep[at] = true
                stack.append((lo, at))
                stack.append((at, hi))
            }
        }
        return path.indices.filter { keep[$0] }.map { path[$0] }
    }

    static func segmentDistance(_ p: Coordinate, _ a: Coordinate, _ b: Coordinate) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 == 0 ? 0 : ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2
        t = min(1, max(0, t))
        let ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y
        return (ex * ex + ey * ey).squareRoot()
    }
}

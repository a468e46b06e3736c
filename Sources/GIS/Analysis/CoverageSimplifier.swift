/// Simplifies a polygon coverage without opening gaps or overlaps between neighbours: the
/// boundaries are cut into arcs at nodes (vertices where three or more boundary edges meet),
/// each shared arc is simplified once with Douglas–Peucker (Douglas & Peucker 1973,
/// doi:10.3138/FM57-6770-U75U-7727) keeping its end nodes, and every ring is rebuilt from the
/// simplified arcs, so two neighbours keep the very same border. Works on exactly matching
/// vertices (clean coverages such as INEC's DPA); a dirty layer should be repaired first.
///
/// Arcs simplified independently may cross each other or themselves. After the first pass,
/// every simplified arc must be simple and meet other arcs only at their end nodes (DE-9IM
/// `FF*F*****`, checked through an STRtree); an arc that breaks this is simplified again at a
/// quarter of its tolerance, up to six times, then kept as it was (a variant of the
/// topological repair in Saalfeld 1999, doi:10.1559/152304099782424901). Rings that would
/// collapse below four positions keep their original shape (counted in ``Report/keptRings``);
/// results GEOS still finds invalid are made valid and counted.
public enum CoverageSimplifier {
    public struct Report: Sendable {
        public var verticesBefore = 0
        public var verticesAfter = 0
        public var arcs = 0
        /// Arcs simplified again with a smaller tolerance because they crossed.
        public var refinedArcs = 0
        public var keptRings = 0
        public var madeValid = 0
    }

    private struct RingRef {
        var feature: Int
        var polygon: Int
        var ring: Int
    }

    /// `tolerance` in the units of the coordinates (metres in a projected CRS). With
    /// `keepingOuterArcs`, arcs that belong to a single ring (the coverage's outer boundary,
    /// shared with whatever lies outside it) are kept exactly: only the borders between the
    /// given polygons move, so the union of the coverage is unchanged. `maxAreaShift` (squared
    /// units) bounds the net area an arc's simplification moves from one side to the other
    /// (the signed area between the arc and its simplification): a staircase straightened
    /// along its own diagonal moves almost none, a jog cut off moves a lot; an arc beyond it is
    /// refined like a crossing one. With `cuttingCorners`, each arc is first replaced by the
    /// midpoints of its edges (its end nodes kept; one step of Chaikin's corner cutting, 1974):
    /// the midpoints of a staircase lie on its centre line, so Douglas–Peucker then draws the
    /// line the staircase follows instead of one through its corners, half a step off.
    public static func simplify(
        _ geometries: [GeometryValue?], tolerance: Double, context: GeometryContext, keepingOuterArcs: Bool = false,
        maxAreaShift: Double = .infinity, cuttingCorners: Bool = false
    ) throws -> ([GeometryValue?], Report) {
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

        // Cut every ring into arcs between nodes; an arc is stored once, in a canonical
        // direction, and each ring remembers its arcs and their directions.
        var arcIndex: [[Coordinate]: Int] = [:]
        var arcs: [[Coordinate]] = []
        var ringArcs: [[(arc: Int, forward: Bool)]] = []
        for ring in rings {
            var nodes = ring.indices.filter { isNode(ring[$0]) }
            if nodes.isEmpty {
                // A ring no other ring branches from: start at its smallest vertex so that a
                // twin ring (a hole filled by an island) is cut the same way.
                nodes = [ring.indices.min { less(ring[$0], ring[$1]) } ?? 0]
            }
            var parts: [(arc: Int, forward: Bool)] = []
            for (k, start) in nodes.enumerated() {
                let end = k + 1 < nodes.count ? nodes[k + 1] : nodes[0] + ring.count
                let arc = (start...end).map { ring[$0 % ring.count] }
                let reversed = Array(arc.reversed())
                let forward = !reversed.lexicographicallyPrecedes(arc) { less($0, $1) }
                let key = forward ? arc : reversed
                if let existing = arcIndex[key] {
                    parts.append((existing, forward))
                } else {
                    arcIndex[key] = arcs.count
                    parts.append((arcs.count, forward))
                    arcs.append(key)
                }
            }
            ringArcs.append(parts)
        }
        func rebuild(_ simplified: [[Coordinate]]) -> [[Coordinate]] {
            ringArcs.map { parts in
                var out: [Coordinate] = []
                for (a, forward) in parts {
                    let oriented = forward ? simplified[a] : simplified[a].reversed()
                    out.append(contentsOf: out.isEmpty ? oriented[...] : oriented.dropFirst())
                }
                if out.first != out.last, let first = out.first { out.append(first) }
                return out
            }
        }
        // Rings of each polygon, to check the rebuilt polygons and find their arcs.
        var ringsOfPolygon: [[Int]: [Int]] = [:]
        for (k, ref) in refs.enumerated() { ringsOfPolygon[[ref.feature, ref.polygon], default: []].append(k) }
        let polygonKeys = ringsOfPolygon.keys.sorted { $0.lexicographicallyPrecedes($1) }

        var uses = [Int](repeating: 0, count: arcs.count)
        for parts in ringArcs { for part in parts { uses[part.arc] += 1 } }
        var tolerances = arcs.indices.map { keepingOuterArcs && uses[$0] < 2 ? 0 : tolerance }
        func simplifiedArc(_ a: Int) -> [Coordinate] {
            guard tolerances[a] > 0 else { return arcs[a] }
            let arc = arcs[a]
            guard cuttingCorners, arc.count > 2 else { return douglasPeucker(arc, tolerance: tolerances[a]) }
            let midpoints = zip(arc, arc.dropFirst()).map { Coordinate(($0.x + $1.x) / 2, ($0.y + $1.y) / 2) }
            return douglasPeucker([arc[0]] + midpoints + [arc[arc.count - 1]], tolerance: tolerances[a])
        }
        var simplified = arcs.indices.map(simplifiedArc)
        var refined = Set<Int>()
        var rebuilt = rebuild(simplified)
        for round in 0...6 {
            var bad = Set(try crossingArcs(simplified, context: context))
            if maxAreaShift.isFinite {
                for a in arcs.indices where simplified[a] != arcs[a] {
                    if abs(Ring.signedArea(arcs[a] + simplified[a].reversed().dropFirst())) > maxAreaShift {
                        bad.insert(a)
                    }
                }
            }
            // A ring can also move to the wrong side of another without any crossing (a hole
            // left outside its shell): the arcs of a polygon that is no longer valid are refined.
            for key in polygonKeys {
                let members = ringsOfPolygon[key] ?? []
                let shellRing = members.first { refs[$0].ring == 0 }
                guard let shellRing, members.allSatisfy({ rebuilt[$0].count >= 4 }) else {
                    for k in members { bad.formUnion(ringArcs[k].map(\.arc)) }
                    continue
                }
                let polygon = PolygonValue(
                    exterior: rebuilt[shellRing], holes: members.filter { $0 != shellRing }.map { rebuilt[$0] })
                if try !context.geometry(.polygon(polygon)).isValid() {
                    for k in members { bad.formUnion(ringArcs[k].map(\.arc)) }
                }
            }
            bad = bad.filter { simplified[$0] != arcs[$0] }
            if bad.isEmpty { break }
            for a in bad.sorted() {
                refined.insert(a)
                tolerances[a] /= 4
                simplified[a] = round == 6 ? arcs[a] : simplifiedArc(a)
            }
            rebuilt = rebuild(simplified)
        }
        report.refinedArcs = refined.count
        report.arcs = arcs.count
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
            // The caller names the file; the record is the feature's position.
            try atRecord(nil, f + 1) {
                let built = try context.geometry(value)
                if try !built.isValid() {
                    value = try LayerRepair.polygonal(try built.makeValid(), context: context).value()
                    report.madeValid += 1
                }
            }
            report.verticesAfter += value.vertexCount
            out.append(value)
        }
        return (out, report)
    }

    /// Indices of arcs that are not simple or meet another arc other than end to end.
    static func crossingArcs(_ arcs: [[Coordinate]], context: GeometryContext) throws -> [Int] {
        let lines = try arcs.map { try context.geometry(.lineString($0)) }
        let index = try SpatialIndex(lines, in: context)
        var bad = Set<Int>()
        for (i, line) in lines.enumerated() {
            if try !line.isSimple() { bad.insert(i) }
            for j in index.candidates(intersecting: line) where j > i {
                if try !line.relates(lines[j], pattern: "FF*F*****") {
                    bad.insert(i)
                    bad.insert(j)
                }
            }
        }
        return bad.sorted()
    }

    /// Douglas–Peucker on an open path (or a closed one, whose first and last positions are
    /// equal), keeping both ends.
    public static func douglasPeucker(_ path: [Coordinate], tolerance: Double) -> [Coordinate] {
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

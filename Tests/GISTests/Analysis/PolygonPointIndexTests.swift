import Foundation
import GIS
import Testing

/// Points sampled to hit every case of the crossing test: uniform points, exact vertices,
/// points interpolated on edges (a rounded interpolation lands a few ulps to either side, or
/// exactly on, the edge), points on the grid lines of the index, and nudged vertices.
struct PointInPolygonSampler {
    var random: TestRandom

    init(state: UInt64) { random = TestRandom(state: state) }

    mutating func uniform() -> Double { random.next() }

    mutating func points(_ geometries: [GeometryValue?], count: Int) -> [Coordinate] {
        var extent = Envelope.empty
        let rings = geometries.compactMap { $0 }.flatMap { g -> [[Coordinate]] in
            switch g {
            case .polygon(let p): p.rings
            case .multiPolygon(let ps): ps.flatMap(\.rings)
            default: []
            }
        }
        for r in rings { for c in r { extent.extend(c) } }
        let vertices = rings.flatMap { $0 }
        var out: [Coordinate] = []
        out.reserveCapacity(count)
        while out.count < count {
            let kind = out.count % 5
            let v = vertices[Int(uniform() * Double(vertices.count)) % vertices.count]
            switch kind {
            case 0, 1:
                out.append(Coordinate(extent.minX + uniform() * extent.width, extent.minY + uniform() * extent.height))
            case 2:
                out.append(v)
            case 3:
                let ring = rings[Int(uniform() * Double(rings.count)) % rings.count]
                let k = 1 + Int(uniform() * Double(ring.count - 1)) % (ring.count - 1)
                let t = uniform()
                let a = ring[k - 1], b = ring[k]
                out.append(Coordinate(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)))
            default:
                // One ulp off a vertex, in x or y, or on the vertex's horizontal line.
                switch Int(uniform() * 3) {
                case 0: out.append(Coordinate(v.x.nextUp, v.y))
                case 1: out.append(Coordinate(v.x, v.y.nextDown))
                default: out.append(Coordinate(extent.minX + uniform() * extent.width, v.y))
                }
            }
        }
        return out
    }
}

/// The reference: GEOS prepared `covers` on every polygon, lowest index first.
func geosLocate(_ prepared: [PreparedGeometry?], _ p: Coordinate, context: GeometryContext) throws -> Int? {
    let point = try context.point(p)
    for (i, g) in prepared.enumerated() { if let g, try g.covers(point) { return i } }
    return nil
}

@Suite("Exact point-in-polygon index")
struct PolygonPointIndexTests {
    /// A 10 × 10 square with a 4 × 4 hole, and a triangle sharing its right edge.
    static let shapes: [GeometryValue?] = [
        .polygon(
            PolygonValue(
                exterior: Fixtures.square(0, 0, 10),
                holes: [[Coordinate(3, 3), Coordinate(3, 7), Coordinate(7, 7), Coordinate(7, 3), Coordinate(3, 3)]])),
        .polygon(PolygonValue(exterior: [Coordinate(10, 0), Coordinate(15, 5), Coordinate(10, 10), Coordinate(10, 0)])),
        nil,
        .lineString([Coordinate(0, 0), Coordinate(20, 20)]),
    ]

    @Test func handCheckedAnswers() {
        let index = PolygonPointIndex(Self.shapes)
        #expect(index.locate(Coordinate(1, 1)) == 0)
        #expect(index.locate(Coordinate(5, 5)) == nil)  // in the hole
        #expect(index.locate(Coordinate(3, 5)) == 0)  // on the hole's edge: boundary is covered
        #expect(index.locate(Coordinate(7, 7)) == 0)  // hole vertex
        #expect(index.locate(Coordinate(0, 0)) == 0)  // shell vertex
        #expect(index.locate(Coordinate(10, 5)) == 0)  // shared edge: the lower index
        #expect(index.covers(1, Coordinate(10, 5)))
        #expect(index.locate(Coordinate(12, 5)) == 1)
        #expect(index.locate(Coordinate(15, 5)) == 1)  // the triangle's apex
        #expect(index.locate(Coordinate(15.000001, 5)) == nil)
        #expect(index.locate(Coordinate(-1e-300, 5)) == nil)
        #expect(index.locate(Coordinate(.nan, 5)) == nil)
        #expect(index.locate(Coordinate(18, 18)) == nil)  // lines are never matched
        #expect(!index.covers(2, Coordinate(1, 1)))
        #expect(!index.covers(7, Coordinate(1, 1)))
    }

    @Test func agreesWithGEOSCoversOnHundredThousandPoints() throws {
        // Irregular polygons sharing borders: a jittered 12 × 12 lattice of quadrilaterals,
        // every other one with a hole, plus the shapes above.
        var sampler = PointInPolygonSampler(state: 7)
        let n = 12
        var lattice = [[Coordinate]](repeating: [], count: n + 1)
        for r in 0...n {
            for c in 0...n {
                lattice[r].append(
                    Coordinate(
                        100 + Double(c) * 7.3 + sampler.uniform() * 3, 200 + Double(r) * 5.1 + sampler.uniform() * 2))
            }
        }
        var geometries = Self.shapes
        for r in 0..<n {
            for c in 0..<n {
                let a = lattice[r][c], b = lattice[r][c + 1], d = lattice[r + 1][c + 1], e = lattice[r + 1][c]
                let mid = Coordinate((a.x + d.x) / 2, (a.y + d.y) / 2)
                let hole =
                    (r + c) % 2 == 0
                    ? [[
                        Coordinate(mid.x - 1, mid.y - 1), Coordinate(mid.x - 1, mid.y + 1), Coordinate(mid.x + 1, mid.y + 1),
                        Coordinate(mid.x - 1, mid.y - 1),
                    ]] : []
                geometries.append(.polygon(PolygonValue(exterior: [a, b, d, e, a], holes: hole)))
            }
        }
        let index = PolygonPointIndex(geometries)
        let context = GeometryContext()
        let prepared = try geometries.map { g -> PreparedGeometry? in
            guard let g, case .polygon = g else { return nil }
            return try PreparedGeometry(try context.geometry(g))
        }
        let points = sampler.points(geometries, count: 100_000)
        var mismatches: [String] = []
        var onBorder = 0
        for p in points {
            let expected = try geosLocate(prepared, p, context: context)
            if index.locate(p) != expected { mismatches.append("\(p): index \(String(describing: index.locate(p))), GEOS \(String(describing: expected))") }
            let point = try context.point(p)
            if try prepared.filter({ try $0?.covers(point) ?? false }).count > 1 { onBorder += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches, e.g. \(mismatches.prefix(5))")
        // The sample really exercises shared borders and vertices.
        #expect(onBorder > 1_000)
        #expect(index.locateAll(points) == points.map { p in index.locate(p).map { Int32($0) } ?? -1 })
    }

    @Test func orientationIsExactWhereDoublesCancel() {
        // Points a few ulps off a long line: the naive determinant is zero or wrong-signed.
        let a = Coordinate(0.5, 0.5), b = Coordinate(12, 12)
        #expect(ExactOrientation.index(a, b, Coordinate(24, 24)) == 0)
        #expect(ExactOrientation.index(a, b, Coordinate(24.000000000000004, 24)) == -1)
        #expect(ExactOrientation.index(a, b, Coordinate(24, 24.000000000000004)) == 1)
        #expect(ExactOrientation.index(Coordinate(0, 0), Coordinate(3e150, 3e150), Coordinate(1, 1)) == 0)
        // 0.3 and 0.1 are not exact: the doubles lie just left of the line, where the rounded
        // determinant says 0.
        #expect(ExactOrientation.index(Coordinate(0, 0), Coordinate(3, 1), Coordinate(0.3, 0.1)) == 1)
    }
}

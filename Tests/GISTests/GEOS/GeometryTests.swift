import Foundation
import GIS
import Testing

@Suite("Geometry (GEOS)")
struct GeometryTests {
    let ctx = GeometryContext()

    func polygon(_ ring: [Coordinate], holes: [[Coordinate]] = []) throws -> Geometry {
        try ctx.geometry(.polygon(PolygonValue(exterior: ring, holes: holes)))
    }

    @Test func areaLengthOfSquareWithHole() throws {
        let g = try polygon(Fixtures.square(0, 0, 10), holes: [Fixtures.square(2, 2, 2)])
        #expect(try g.area() == 96)
        #expect(try g.length() == 48)
        #expect(g.vertexCount == 10)
    }

    @Test func centroidAndPointOnSurface() throws {
        let square = try polygon(Fixtures.square(0, 0, 4))
        #expect(try square.centroid().pointCoordinate() == Coordinate(2, 2))
        // A U shape: its centroid lies in the notch, its point-on-surface does not.
        let u = try polygon([
            Coordinate(0, 0), Coordinate(3, 0), Coordinate(3, 3), Coordinate(2, 3), Coordinate(2, 1), Coordinate(1, 1),
            Coordinate(1, 3), Coordinate(0, 3), Coordinate(0, 0),
        ])
        let c = try u.centroid()
        #expect(try !u.covers(c))
        #expect(try u.covers(try u.pointOnSurface()))
    }

    @Test func invalidBowTieHasReasonAndRepairKeepsBothLobes() throws {
        let bowTie = try polygon([
            Coordinate(0, 0), Coordinate(2, 2), Coordinate(2, 0), Coordinate(0, 2), Coordinate(0, 0),
        ])
        let reason = try #require(try bowTie.invalidityReason())
        #expect(reason.contains("Self-intersection"))
        #expect(reason.contains("(1 1)"))
        let (fixed, repair) = try bowTie.repaired()
        #expect(try fixed.isValid())
        #expect(repair.typeAfter == "MultiPolygon")
        #expect(abs(try fixed.area() - 2) < 1e-12)  // two triangles of area 1
    }

    @Test func unionIntersectionDifference() throws {
        let a = try polygon(Fixtures.square(0, 0, 2))
        let b = try polygon(Fixtures.square(1, 0, 2))
        #expect(try a.union(b).area() == 6)
        #expect(try a.intersection(b).area() == 2)
        #expect(try a.difference(b).area() == 2)
        let many = try ctx.collection([a, b, try polygon(Fixtures.square(5, 5, 1))])
        #expect(try many.unaryUnion().area() == 7)
    }

    @Test func coverageUnionOfAdjacentSquaresIsOneRectangle() throws {
        let parts = try (0..<3).map { try polygon(Fixtures.square(Double($0), 0)) }
        let merged = try ctx.collection(parts).coverageUnion()
        #expect(merged.typeName == "Polygon")
        #expect(try merged.area() == 3)
        #expect(try merged.length() == 8)
    }

    @Test func bufferOfPointApproachesCircle() throws {
        let circle = try ctx.point(Coordinate(0, 0)).buffer(100, quadrantSegments: 64)
        #expect(abs(try circle.area() - Double.pi * 100 * 100) / (Double.pi * 100 * 100) < 1e-3)
    }

    @Test func simplifyDropsCollinearNoise() throws {
        let line = try ctx.geometry(
            .lineString([
                Coordinate(0, 0), Coordinate(1, 0.01), Coordinate(2, 0), Coordinate(3, 0.01), Coordinate(4, 0),
            ]))
        #expect(try line.simplifiedPreservingTopology(0.1).vertexCount == 2)
    }

    @Test func sharedBoundaryLengths() throws {
        let a = try polygon(Fixtures.square(0, 0, 10))
        #expect(try a.sharedBoundaryLength(with: try polygon(Fixtures.square(10, 0, 10))) == 10)  // full edge
        #expect(try a.sharedBoundaryLength(with: try polygon(Fixtures.square(10, 5, 10))) == 5)  // half edge
        #expect(try a.sharedBoundaryLength(with: try polygon(Fixtures.square(10, 10, 10))) == 0)  // corner only
        #expect(try a.touches(try polygon(Fixtures.square(10, 10, 10))))
    }

    @Test func wktAndWkbRoundTrip() throws {
        let g = try polygon(Fixtures.square(0, 0, 3), holes: [Fixtures.square(1, 1, 1)])
        let wkt = try g.wkt()
        #expect(wkt == "POLYGON ((0 0, 3 0, 3 3, 0 3, 0 0), (1 1, 2 1, 2 2, 1 2, 1 1))")
        #expect(try ctx.geometry(wkt: wkt).equalsExactly(g))
        #expect(try ctx.geometry(wkb: try g.wkb()).equalsExactly(g))
        #expect(try ctx.geometry(wkt: wkt).value() == g.value())
    }

    @Test func badInputsThrowInsteadOfCrashing() throws {
        #expect(throws: GISError.self) { try ctx.geometry(wkt: "POLYGON ((0 0, 1 1") }
        #expect(throws: GISError.self) { try ctx.geometry(wkb: [1, 2, 3]) }
        // GEOS 3.11 builds a ring of three positions, but reports it invalid.
        let collapsed = try polygon([Coordinate(0, 0), Coordinate(1, 0), Coordinate(0, 0)])
        #expect(try collapsed.invalidityReason() != nil)
        // An open ring.
        #expect(throws: GISError.self) {
            try polygon([Coordinate(0, 0), Coordinate(1, 0), Coordinate(1, 1), Coordinate(0, 1)])
        }
    }

    @Test func emptyGeometries() throws {
        let empty = try ctx.geometry(.multiPolygon([]))
        #expect(empty.isEmpty)
        #expect(try empty.area() == 0)
        #expect(empty.envelope.isEmpty)
    }

    @Test func spatialIndexCandidatesAndNearest() throws {
        let squares = try (0..<10).map { try polygon(Fixtures.square(Double($0) * 10, 0, 1)) }
        let index = try SpatialIndex(squares, in: ctx)
        #expect(try index.candidates(intersecting: Envelope(minX: 15, minY: -1, maxX: 31, maxY: 2)) == [2, 3])
        #expect(try index.nearest(to: try ctx.point(Coordinate(42, 5))) == 4)
        #expect(try index.nearest(to: try ctx.point(Coordinate(-100, 0))) == 0)
    }

    @Test func preparedPredicates() throws {
        let p = try PreparedGeometry(try polygon(Fixtures.square(0, 0, 10)))
        #expect(try p.contains(try ctx.point(Coordinate(5, 5))))
        #expect(try !p.contains(try ctx.point(Coordinate(10, 5))))  // on the boundary
        #expect(try p.covers(try ctx.point(Coordinate(10, 5))))
        #expect(try p.distance(to: try ctx.point(Coordinate(13, 14))) == 5)
    }
}

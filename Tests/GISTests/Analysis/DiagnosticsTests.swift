import GIS
import Testing

@Suite("Diagnostics, repair, location, coverage simplification")
struct DiagnosticsTests {
    let proj = try! ProjContext()

    func measure(_ crs: CRS = .utm17S) throws -> GeodesicMeasure { try GeodesicMeasure(crs: crs, context: proj) }

    func dirtyLayer() -> Layer {
        let bowTie: [Coordinate] = [
            Coordinate(500_000, 9_900_000), Coordinate(500_100, 9_900_100), Coordinate(500_100, 9_900_000),
            Coordinate(500_000, 9_900_100), Coordinate(500_000, 9_900_000),
        ]
        return Layer(
            source: "dirty", kind: .polygon, crs: .utm17S, fields: [Field("id", .text)],
            features: [
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(501_000, 9_900_000, 100))),
                    attributes: [.text("a")]),
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(501_050, 9_900_000, 100))),
                    attributes: [.text("b")]),
                Feature(geometry: .polygon(PolygonValue(exterior: bowTie)), attributes: [.text("bowtie")]),
                Feature(geometry: .multiPolygon([]), attributes: [.text("empty")]),
                Feature(geometry: nil, attributes: [.text("null")]),
            ])
    }

    @Test func findsInvalidEmptyNullAndOverlaps() throws {
        let d = try LayerDiagnostics.check(dirtyLayer(), measure: try measure())
        #expect(d.invalid.map(\.index) == [2])
        #expect(d.invalid[0].reason.hasPrefix("Self-intersection"))
        #expect(d.emptyGeometries == [3])
        #expect(d.nullGeometries == [4])
        #expect(d.overlaps.count == 1)
        // 50 m × 100 m planar overlap; geodesic area = planar / 0.9996² near the central meridian.
        #expect(abs(d.overlaps[0].area - 5_000 / (0.9996 * 0.9996)) < 0.5)
        #expect(!d.isClean)
    }

    @Test func repairMakesValidAndRemovesOverlaps() throws {
        let (fixed, report) = try LayerRepair.run(dirtyLayer(), removeOverlaps: true, measure: try measure())
        #expect(report.madeValid == 1)
        #expect(report.overlapsRemoved == 1)
        let d = try LayerDiagnostics.check(fixed, measure: try measure())
        #expect(d.invalid.isEmpty)
        #expect(d.overlaps.isEmpty)
        // b kept its 100 × 100 minus the 50 × 100 a already had.
        #expect(try GeometryContext().geometry(try #require(fixed.features[1].geometry)).area() == 5_000)
    }

    @Test func locatorFindsContainingPolygonAndNearest() throws {
        let grid = Fixtures.grid(2)
        let locator = try PolygonLocator(try LayerGeometries(grid, context: GeometryContext()))
        #expect(try locator.locate(Coordinate(500_500, 9_900_500)) == 0)
        #expect(try locator.locate(Coordinate(501_500, 9_901_500)) == 3)
        // On the shared border of cells 0 and 1: the lowest index wins.
        #expect(try locator.locate(Coordinate(501_000, 9_900_500)) == 0)
        #expect(try locator.locate(Coordinate(510_000, 9_900_500)) == nil)
        let nearest = try #require(try locator.nearest(Coordinate(510_000, 9_900_500)))
        #expect(nearest.index == 1)
        #expect(nearest.distance == 8_000)
    }

    @Test func coverageSimplificationKeepsNeighboursSharingOneBorder() throws {
        // Two polygons sharing a zig-zag border with 1 m wiggles; simplifying at 5 m must
        // straighten it identically on both sides: no gap, no overlap.
        var border: [Coordinate] = []
        for k in 0...20 { border.append(Coordinate(Double(k) * 50, k % 2 == 0 ? 0 : 1)) }
        let north =
            [Coordinate(0, 0)] + border.dropFirst() + [Coordinate(1_000, 500), Coordinate(0, 500), Coordinate(0, 0)]
        let south = Array(border.reversed()) + [Coordinate(0, -500), Coordinate(1_000, -500), Coordinate(1_000, 0)]
        let values: [GeometryValue?] = [
            .polygon(PolygonValue(exterior: north)), .polygon(PolygonValue(exterior: Ring.closed(south))),
        ]
        let ctx = GeometryContext()
        let (out, report) = try CoverageSimplifier.simplify(values, tolerance: 5, context: ctx)
        let a = try ctx.geometry(try #require(out[0])), b = try ctx.geometry(try #require(out[1]))
        #expect(try a.intersection(b).area() == 0)
        #expect(abs(try a.union(b).area() - 1_000_000) < 1e-6)
        #expect(try a.sharedBoundaryLength(with: b) == 1_000)
        #expect(report.verticesAfter < report.verticesBefore)
        #expect(report.madeValid == 0)
    }

    @Test func simplificationKeepsAnIslandOnItsSide() throws {
        // A (south) and B (north) share a border with a 60 m bump of B into A; C is an islet in
        // the bump, a hole of B. At 70 m, plain Douglas–Peucker straightens the border and leaves
        // C's ring south of it, outside B, without crossing any arc: B would be invalid. The
        // simplifier must notice and refine the border.
        let border = [
            Coordinate(0, 100), Coordinate(45, 100), Coordinate(50, 40), Coordinate(55, 100), Coordinate(100, 100),
        ]
        let a = [Coordinate(0, 0), Coordinate(100, 0)] + border.reversed() + [Coordinate(0, 0)]
        let b = border + [Coordinate(100, 200), Coordinate(0, 200), Coordinate(0, 100)]
        let c = [
            Coordinate(49, 75), Coordinate(51, 75), Coordinate(51, 90), Coordinate(49, 90), Coordinate(49, 75),
        ]
        let values: [GeometryValue?] = [
            .polygon(PolygonValue(exterior: a)), .polygon(PolygonValue(exterior: b, holes: [c])),
            .polygon(PolygonValue(exterior: c)),
        ]
        #expect(CoverageSimplifier.douglasPeucker(border, tolerance: 70) == [border[0], border[4]])
        let ctx = GeometryContext()
        let (out, report) = try CoverageSimplifier.simplify(values, tolerance: 70, context: ctx)
        #expect(report.refinedArcs >= 1)
        #expect(report.madeValid == 0)
        let before = try values.map { try ctx.geometry(try #require($0)) }
        for s in before { #expect(try s.isValid()) }
        let shapes = try out.map { try ctx.geometry(try #require($0)) }
        for s in shapes { #expect(try s.isValid()) }
        #expect(try shapes[1].covers(shapes[2]) == false)
        #expect(try shapes[2].intersection(shapes[0]).area() == 0)
        #expect(try shapes[2].intersection(shapes[1]).area() == 0)
        #expect(abs(try shapes[0].union(shapes[1]).union(shapes[2]).area() - 20_000) < 1e-6)
    }
}

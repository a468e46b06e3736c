import GIS
import Testing

@Suite("Contiguity")
struct ContiguityTests {
    func graph(_ layer: Layer, _ rule: ContiguityRule) throws -> ContiguityGraph {
        try Contiguity.build(
            layer, rule: rule, measure: try GeodesicMeasure(crs: layer.crs ?? .wgs84, context: try ProjContext()))
    }

    @Test func queenAndRookOnA3x3Grid() throws {
        let grid = Fixtures.grid(3)
        let queen = try graph(grid, .queen)
        let rook = try graph(grid, .rook)
        // Queen: 12 edge-sharing + 8 corner-sharing pairs; rook: the 12 edges only.
        #expect(queen.edges.count == 20)
        #expect(rook.edges.count == 12)
        #expect(queen.adjacency[4] == [0, 1, 2, 3, 5, 6, 7, 8])
        #expect(rook.adjacency[4] == [1, 3, 5, 7])
        #expect(queen.edges.first { $0.a == 0 && $0.b == 4 }?.sharedLength == 0)
        // A 1 000 m UTM edge near the central meridian is 1 000 / 0.9996 m on the ellipsoid.
        let shared = try #require(rook.edges.first { $0.a == 0 && $0.b == 1 }).sharedLength
        #expect(abs(shared - 1_000 / 0.9996) < 0.5)
        #expect(queen.components.count == 1)
        #expect(queen.isolated.isEmpty)
    }

    @Test func islandsAndComponents() throws {
        var layer = Fixtures.grid(2)
        // An island 50 km away and a pair of islets touching each other.
        let far = Fixtures.square(600_000, 9_900_000, 1_000)
        layer.features.append(
            Feature(geometry: .polygon(PolygonValue(exterior: far)), attributes: [.text("island"), .integer(5)]))
        layer.features.append(
            Feature(
                geometry: .polygon(PolygonValue(exterior: Fixtures.square(700_000, 9_900_000, 1_000))),
                attributes: [.text("islet1"), .integer(1)]))
        layer.features.append(
            Feature(
                geometry: .polygon(PolygonValue(exterior: Fixtures.square(701_000, 9_900_000, 1_000))),
                attributes: [.text("islet2"), .integer(1)]))
        layer.features.append(Feature(geometry: nil, attributes: [.text("nowhere"), .integer(0)]))
        let g = try graph(layer, .queen)
        #expect(g.components.map(\.count) == [4, 2, 1, 1])
        #expect(g.isolated == [4, 7])
    }

    @Test func overlappingPolygonsAreNeighboursUnderBothRules() throws {
        let layer = Layer(
            source: "t", kind: .polygon, crs: .utm17S, fields: [],
            features: [
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(500_000, 9_900_000, 100))), attributes: []
                ),
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(500_050, 9_900_025, 100))), attributes: []
                ),
            ])
        let rook = try graph(layer, .rook)
        #expect(rook.edges.count == 1)
        #expect(rook.edges[0].overlapping)
    }
}

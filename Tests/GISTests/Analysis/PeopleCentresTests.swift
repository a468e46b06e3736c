import Foundation
import GIS
import Testing

@Suite("Where a polygon's people are")
struct PeopleCentresTests {
    /// A town of five points 10 m apart and one remote point 10 km away.
    let town = [
        Coordinate(0, 0), Coordinate(10, 0), Coordinate(0, 10), Coordinate(10, 10), Coordinate(5, 5),
        Coordinate(10_000, 0),
    ]

    @Test func theMedoidIsInTheTownNotPulledTowardsTheRemotePoint() throws {
        // Σ distances from (5, 5): 4 · 7.07 + 9,995.0 = 10,023.3; from (0, 0): 10 + 10 + 14.1
        // + 7.1 + 10,000 = 10,041.2; the other corners likewise more than (5, 5).
        #expect(PeopleCentres.medoid(town, weights: Array(repeating: 1, count: 6)) == 4)
    }

    @Test func aHeavyPointDrawsTheMedoidToItself() throws {
        // Remote weight 100: from it Σ = 5 · ≈9,995 ≈ 49,975; from (5, 5) ≈ 100 · 9,995.
        #expect(PeopleCentres.medoid(town, weights: [1, 1, 1, 1, 1, 100]) == 5)
    }

    @Test func twoTownsGiveAPointOfTheLargerNotTheEmptyMiddle() throws {
        // Three points at x = 0, two at x = 1,000: the mean (x = 400) is in neither town.
        let points = [
            Coordinate(0, 0), Coordinate(0, 5), Coordinate(0, -5), Coordinate(1_000, 0), Coordinate(1_000, 5),
        ]
        let chosen = try #require(PeopleCentres.medoid(points, weights: [1, 1, 1, 1, 1]))
        #expect(points[chosen].x == 0)
        #expect(chosen == 0)  // (0, 0): 5 + 5 + 1,000 + 1,000.01, less than from (0, ±5)
    }

    @Test func noPositiveWeightGivesNoCentre() throws {
        #expect(PeopleCentres.medoid(town, weights: Array(repeating: 0, count: 6)) == nil)
        #expect(PeopleCentres.medoid([], weights: []) == nil)
    }

    /// Two 2 km squares side by side in UTM 17S; the second holds no point.
    func layer() -> Layer {
        Layer(
            source: "two", kind: .polygon, crs: .utm17S, fields: [Field("id", .text)],
            features: [
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(500_000, 9_900_000, 2_000))),
                    attributes: [.text("a")]),
                Feature(
                    geometry: .polygon(PolygonValue(exterior: Fixtures.square(502_000, 9_900_000, 2_000))),
                    attributes: [.text("b")]),
            ])
    }

    @Test func eachPolygonGetsOneOfItsOwnPointsAndTheOrderOfPointsDoesNotMatter() throws {
        // A village in the first square's south-west corner (four points) and a farm in its
        // north-east one; one point lies outside both squares.
        let points = [
            WeightedPoint(Coordinate(500_100, 9_900_100)), WeightedPoint(Coordinate(500_120, 9_900_100)),
            WeightedPoint(Coordinate(500_100, 9_900_120)), WeightedPoint(Coordinate(500_110, 9_900_110)),
            WeightedPoint(Coordinate(501_900, 9_901_900)), WeightedPoint(Coordinate(600_000, 9_900_000)),
        ]
        let found = try PeopleCentres.locate(points, in: layer())
        #expect(found.centres == [Coordinate(500_110, 9_900_110), nil])
        #expect(found.pointsInside == [5, 0])
        #expect(found.outside == 1)
        let reversed = try PeopleCentres.locate(points.reversed(), in: layer())
        #expect(reversed.centres == found.centres)
    }
}

import Foundation
import GIS
import Planning
import Testing
@testable import Workflows

/// The contiguity rule checked on dissolved polygons, on squares of 1 km in UTM 17S.
@Suite("Contiguity on the dissolved polygons")
struct PlanGeometryTests {
    func square(_ x: Double, _ y: Double, _ side: Double = 1_000) -> PolygonValue {
        PolygonValue(exterior: [
            Coordinate(x, y), Coordinate(x + side, y), Coordinate(x + side, y + side), Coordinate(x, y + side),
            Coordinate(x, y),
        ])
    }

    /// A, B, C in a row (0–3 km; C 800 m a side); E: two squares 5 km apart (a parroquia with an island);
    /// parent 010160 cut into pieces -001 (its two ends, one polygon each end) and -002 (middle).
    func units() -> Layer {
        let y = 9_800_000.0
        let rows: [(String, String, GeometryValue)] = [
            ("010150", "010150", .polygon(square(500_000, y))),
            ("010151", "010151", .polygon(square(501_000, y))),
            ("010152", "010152", .polygon(square(502_000, y, 800))),
            ("010153", "010153", .multiPolygon([square(510_000, y), square(515_000, y)])),
            ("010160-001", "010160", .multiPolygon([square(520_000, y), square(522_000, y)])),
            ("010160-002", "010160", .polygon(square(521_000, y))),
        ]
        return Layer(
            source: "squares", kind: .polygon, crs: CRS.parse("EPSG:32717"),
            fields: [Field("DPA_PARROQ", .text), Field(UnitSplitter.parentField, .text)],
            features: rows.map { Feature(geometry: $0.2, attributes: [.text($0.0), .text($0.1)]) })
    }

    func plan(_ circuitos: [String: String]) -> Plan {
        Plan(
            source: "test",
            assignments: circuitos.mapValues {
                Plan.Assignment(distritos: [String($0.prefix(5))], circuitos: [$0])
            })
    }

    func check(_ p: Plan, links: [(String, String)] = []) throws -> PlanGeometry.Contiguity {
        let layer = units()
        let dissolved = try PlanGeometry.dissolve(p, units: layer, unitId: "DPA_PARROQ", level: .circuito)
        return try PlanGeometry.contiguity(
            dissolved, level: .circuito, plan: p, units: layer, unitId: "DPA_PARROQ", links: links)
    }

    @Test func aCircuitoInTwoPiecesOfLandIsABreachWithItsGapAndArea() throws {
        // A and C in one circuito, B (between them) in another: C, 0.64 km², is 1 km away.
        let p = plan([
            "010150": "01D01C01", "010152": "01D01C01", "010151": "01D01C02", "010153": "01D01C03",
            "010160-001": "01D01C04", "010160-002": "01D01C05",
        ])
        let found = try check(p)
        let breach = try #require(found.breaches.first { $0.unit == "01D01C01" })
        #expect(breach.members == ["010152"])
        #expect(breach.message.contains("0.64 km² lies 1 km"), "\(breach.message)")
        // The parroquia with an island is an exception, not a breach.
        #expect(found.exceptions.map(\.unit) == ["01D01C03"])
        // The piece in two polygons of one parent polygon is a breach.
        #expect(found.breaches.contains { $0.unit == "01D01C04" })
        #expect(found.breaches.count == 2)
        // A declared link joins A and C.
        let linked = try check(p, links: [("010150", "010152")])
        #expect(!linked.breaches.contains { $0.unit == "01D01C01" })
    }

    @Test func wholeUnitsInOneCircuitoAreOnePolygon() throws {
        let p = plan([
            "010150": "01D01C01", "010151": "01D01C01", "010152": "01D01C01", "010153": "01D01C02",
            "010160-001": "01D01C03", "010160-002": "01D01C03",
        ])
        let found = try check(p)
        #expect(found.breaches.isEmpty, "\(found.breaches)")
        #expect(found.exceptions.map(\.unit) == ["01D01C02"])
    }
}

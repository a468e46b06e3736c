import Foundation
import GIS
import Testing

@Suite("Demand and supply")
struct DemandSupplyTests {
    let ctx = GeometryContext()
    let proj = try! ProjContext()

    /// A 2×2 grid of 1 km cells (UTM 17S) and points in WGS 84 at given UTM positions.
    func points(_ utm: [(Double, Double, Double)]) throws -> Layer {
        let t = try proj.transform(from: .utm17S, to: .wgs84)
        return Layer(
            source: "pts", kind: .point, crs: .wgs84, fields: [Field("pop", .decimal)],
            features: try utm.map {
                Feature(geometry: .point(try t.apply(Coordinate($0.0, $0.1))), attributes: [.decimal($0.2)])
            })
    }

    @Test func populationIsConservedAndOutsidePointsNamed() throws {
        let grid = Fixtures.grid(2)
        let pts = try points([(500_500, 9_900_500, 100), (501_500, 9_900_500, 50), (510_000, 9_900_000, 7)])
        let demand = try Demand.build(.points(pts, weight: "pop"), units: grid, unitID: "id", context: ctx, proj: proj)
        #expect(demand.report.input == 157)
        #expect(demand.report.counted == 150)
        #expect(demand.report.outsidePoints == 1 && demand.report.outsidePopulation == 7)
        #expect(demand.report.balanced)
        #expect(demand.unitPopulation == [100, 50, 0, 0])
        #expect(demand.report.emptyUnits == ["r1c0", "r1c1"])
    }

    @Test func pointsAndPolygonsCombineWithFallback() throws {
        let grid = Fixtures.grid(2)  // pop 10, 20, 30, 40
        let pts = try points([(500_500, 9_900_500, 100)])
        let demand = try Demand.build(
            .both(
                polygons: grid, field: "pop", id: "id", points: try PointColumns(layer: pts, numeric: ["pop"]),
                weightColumn: 0), units: grid, unitID: "id",
            context: ctx, proj: proj)
        // Cell r0c0 has a point (100 people); the other three fall back to their own figures.
        #expect(demand.unitPopulation == [100, 20, 30, 40])
        #expect(demand.report.fallbackPolygons == ["r0c1", "r1c0", "r1c1"])
        #expect(demand.report.input == 190)
    }

    @Test func badPopulationValuesAreNamed() throws {
        var grid = Fixtures.grid(2)
        grid.features[1].attributes[1] = .integer(-5)
        grid.features[2].attributes[1] = .null
        let demand = try Demand.build(
            .polygons(grid, field: "pop", id: "id"), units: grid, unitID: "id", context: ctx, proj: proj)
        #expect(demand.report.badValues.count == 2)
        #expect(demand.report.badValues[0].hasPrefix("r0c1"))
        #expect(demand.report.emptyUnits == ["r0c1", "r1c0"])
        let textField = try #require(throws: GISError.self) {
            try Demand.build(
                .polygons(grid, field: "id", id: "id"), units: grid, unitID: "id", context: ctx, proj: proj)
        }
        #expect(textField.message.contains("numeric"))
    }

    func registry(_ rows: [(String, String, Double, Double)]) throws -> Layer {
        let t = try proj.transform(from: .utm17S, to: .wgs84)
        return Layer(
            source: "est.csv", kind: .point, crs: .wgs84, fields: [Field("id", .text), Field("kind", .text)],
            features: try rows.map {
                Feature(geometry: .point(try t.apply(Coordinate($0.2, $0.3))), attributes: [.text($0.0), .text($0.1)])
            })
    }

    @Test func supplyMapsTypesAndReportsDuplicatesOutsideAndUnmapped() throws {
        let grid = Fixtures.grid(2)
        let layer = try registry([
            ("b", "Centro de Salud", 500_500, 9_900_500), ("a", "Centro de Salud", 500_502, 9_900_500),
            ("c", "UPC", 501_500, 9_901_500),
            ("d", "Escuela", 509_000, 9_900_000), ("e", "Bodega", 500_100, 9_900_100),
        ])
        let mapping = ["Centro de Salud": "health", "UPC": "police", "Escuela": "education"]
        let supply = try Supply.build(
            layer, options: .init(typeField: "kind", mapping: mapping, idField: "id"), units: grid, context: ctx,
            proj: proj)
        #expect(supply.report.unmappedTypes == ["Bodega": 1])
        #expect(supply.report.duplicates.map { "\($0.kept)~\($0.duplicate)" } == ["a~b"])
        #expect(abs(supply.report.duplicates[0].metres - 2 / 0.9996) < 0.01)
        #expect(supply.report.outsideUnits == ["d"])
        #expect(supply.establishments.map(\.id) == ["d", "a", "b", "c"])  // by type, then id
        let merged = try Supply.build(
            layer, options: .init(typeField: "kind", mapping: mapping, idField: "id", mergeDuplicates: true),
            units: grid, context: ctx, proj: proj)
        #expect(merged.establishments.map(\.id) == ["d", "a", "c"])
        let none = try #require(throws: GISError.self) {
            try Supply.build(
                layer, options: .init(typeField: "kind", mapping: ["Hospital": "health"]), units: grid, context: ctx,
                proj: proj)
        }
        #expect(none.message.contains("matches no record"))
    }

    @Test func impossibleCoordinatesAreRejectedNotDropped() throws {
        let fx = try Fixtures()
        try "id,type,lon,lat\n1,health,-78.5,-0.2\n2,health,NaN,-0.2\n3,health,-78.5,95\n".write(
            toFile: fx.path("e.csv"), atomically: true, encoding: .utf8)
        let read = try CSVPointReader.read(fx.path("e.csv"), options: .init(skipBadRows: true))
        let supply = try Supply.build(
            read.layer, rejected: read.rejected, options: .init(typeField: "type", idField: "id"),
            units: Fixtures.grid(2), context: ctx, proj: proj)
        #expect(supply.report.records == 3)
        #expect(supply.report.rejected.count == 2)
        #expect(supply.establishments.count == 1)
        #expect(supply.report.outsideUnits == ["1"])
    }
}

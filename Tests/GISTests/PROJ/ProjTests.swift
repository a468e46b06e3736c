import Foundation
import GIS
import Testing

@Suite("CRS and geodesics (PROJ)")
struct ProjTests {
    @Test func wgs84ToUTM17SMatchesCs2cs() throws {
        let t = try ProjContext().transform(from: .wgs84, to: .utm17S)
        let p = try t.apply(Coordinate(-78.5, -0.2))
        #expect(abs(p.x - 778_274.6307) < 1e-3)
        #expect(abs(p.y - 9_977_872.7878) < 1e-3)
    }

    @Test func batchTransformRoundTrips() throws {
        let ctx = try ProjContext()
        var points = (0..<100).map { Coordinate(-80 + Double($0) * 0.05, -3 + Double($0) * 0.02) }
        let original = points
        try ctx.transform(from: .wgs84, to: .utm17S).apply(&points)
        try ctx.transform(from: .utm17S, to: .wgs84).apply(&points)
        for (a, b) in zip(points, original) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
    }

    @Test func esriWktFromPrjIsIdentified() throws {
        let wkt =
            #"PROJCS["WGS_1984_UTM_Zone_17S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-81.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#
        let ctx = try ProjContext()
        let info = try ctx.describe(CRS(wkt))
        #expect(info.identifier == "EPSG:32717")
        #expect(!info.isGeographic)
        #expect(info.unit == "metre")
        #expect(try ctx.equivalent(CRS(wkt), .utm17S))
        #expect(try ctx.describe(.wgs84).isGeographic)
    }

    @Test func unknownCrsCarriesProjsMessage() throws {
        let ctx = try ProjContext()
        let error = try #require(throws: GISError.self) { try ctx.describe(CRS("EPSG:999999")) }
        #expect(error.message.lowercased().contains("not found") || error.message.lowercased().contains("crs"))
        #expect(error.kind == .usage)
        #expect(throws: GISError.self) { try ctx.transform(from: CRS("nonsense"), to: .wgs84) }
    }

    @Test func utmZonesForEcuador() {
        #expect(CRS.utmSouth(forLongitude: -78.5) == .utm17S)
        #expect(CRS.utmSouth(forLongitude: -90.3) == .utm15S)
        #expect(CRS.parse("32717") == .utm17S)
    }

    @Test func geodesicDistancesKnownValues() {
        let g = Geodesic()
        // One degree of latitude at the equator on WGS 84: 110 574.389 m.
        #expect(abs(g.distance(Coordinate(0, 0), Coordinate(0, 1)) - 110_574.389) < 0.01)
        // One degree of longitude along the equator: 2πa/360 = 111 319.491 m.
        #expect(abs(g.distance(Coordinate(0, 0), Coordinate(1, 0)) - 111_319.4908) < 0.001)
    }

    @Test func geodesicAreaOfOneDegreeCellAtEquator() {
        // A 1°×1° cell at the equator on WGS 84 has area 12 308 778 361 m² (GeographicLib
        // Planimeter); the planar approximation 110 574 × 111 319 overestimates it slightly.
        let cell = Fixtures.square(0, 0, 1)
        let area = Geodesic().area(.polygon(PolygonValue(exterior: cell)))
        #expect(abs(area - 12_308_778_361) / 12_308_778_361 < 1e-6)
    }
}

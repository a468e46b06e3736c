import Foundation
import Testing

@testable import GIS

@Suite("PROJ context caches and helpers")
struct ProjCacheTests {
    /// A context reuses its operation: the second transform is the same PROJ object and gives
    /// the same bits as a fresh context's `proj_create_crs_to_crs`.
    @Test func cachedOperationEqualsAFreshOne() throws {
        let ctx = try ProjContext()
        let points = (0..<500).map { Coordinate(-81 + Double($0) * 0.013, -4.9 + Double($0) * 0.011) }
        var first = points, second = points, fresh = points
        try ctx.transform(from: .wgs84, to: .utm17S).apply(&first)
        try ctx.transform(from: .wgs84, to: .utm17S).apply(&second)
        try ProjContext().transform(from: .wgs84, to: .utm17S).apply(&fresh)
        #expect(first == second)
        #expect(first == fresh)
        let a = try ctx.operation(from: .wgs84, to: .utm17S)
        let b = try ctx.operation(from: .wgs84, to: .utm17S)
        #expect(a != nil && a == b)
        #expect(try ctx.operation(from: .wgs84, to: CRS("EPSG:4326")) == nil)
        #expect(try ctx.transform(from: .utm17S, to: .utm17S).isIdentity)
    }

    /// A bad definition is not cached: asking again gets the same error, and a good CRS
    /// asked afterwards still works.
    @Test func badDefinitionsStayErrors() throws {
        let ctx = try ProjContext()
        for _ in 0..<2 {
            let error = try #require(throws: GISError.self) { try ctx.transform(from: CRS("EPSG:999999"), to: .wgs84) }
            #expect(error.operation.contains("EPSG:999999"))
        }
        #expect(try !ctx.transform(from: .wgs84, to: .utm15S).isIdentity)
    }

    /// Descriptions are shared by contexts and equal what a first context found.
    @Test func descriptionsAreSharedAcrossContexts() throws {
        let wkt = CRS(
            #"PROJCS["WGS_1984_UTM_Zone_17S",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",10000000.0],PARAMETER["Central_Meridian",-81.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#
        )
        let first = try ProjContext().describe(wkt)
        let again = try ProjContext().describe(wkt)
        #expect(first == again)
        #expect(first.identifier == "EPSG:32717")
        // Without identification, another entry: no identifier, same kind.
        let plain = try ProjContext().describe(wkt, identifying: false)
        #expect(plain.identifier == nil && plain.isGeographic == first.isGeographic)
    }

    /// The parallel transform (caller's context plus kept helpers) equals one thread's,
    /// twice in a row on the same context.
    @Test func parallelTransformReusesHelpers() throws {
        let ctx = try ProjContext()
        let points = (0..<200_000).map { Coordinate(-81 + Double($0 % 997) * 0.006, -4.9 + Double($0 % 991) * 0.006) }
        var serial = points
        try ctx.transform(from: .wgs84, to: .utm17S).apply(&serial)
        for _ in 0..<2 {
            var parallel = points
            try CoordinateTransform.applyInParallel(&parallel, from: .wgs84, to: .utm17S, context: ctx, grain: 1_000)
            #expect(parallel == serial)
        }
        #expect(try ctx.helperContexts(3).count == 3)
        #expect(try ctx.helperContexts(1).count == 1)
    }

    @Test func backgroundTaskReturnsAndRethrows() throws {
        let ok = BackgroundTask { (1...1_000).reduce(0, +) }
        #expect(try ok.value() == 500_500)
        #expect(try ok.value() == 500_500)
        let failing = BackgroundTask { () throws -> Int in
            throw GISError(.input, operation: "read registry", message: "bad row")
        }
        failing.wait()
        let error = try #require(throws: GISError.self) { try failing.value() }
        #expect(error.message == "bad row")
        ok.wait()
    }
}

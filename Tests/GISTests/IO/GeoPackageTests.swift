import Foundation
import Testing

@testable import GIS

@Suite("GeoPackage")
struct GeoPackageTests {
    /// Every attribute type, nulls, a polygon with a hole, a multipolygon, Unicode text.
    func sample() -> Layer {
        let hole = Fixtures.square(500_300, 9_900_300, 200).reversed()
        return Layer(
            source: "sample", kind: .polygon, crs: .utm17S,
            fields: [
                Field("code", .text, width: 12), Field("name", .text), Field("pop", .integer), Field("share", .decimal),
                Field("capital", .logical), Field("founded", .date), Field("CODE", .text),
            ],
            features: [
                Feature(
                    geometry: .polygon(
                        PolygonValue(exterior: Fixtures.square(500_000, 9_900_000, 1000), holes: [Array(hole)])),
                    attributes: [
                        .text("010150"), .text("CAÑAR — Baños"), .integer(361_524), .decimal(0.125), .logical(true),
                        .date(DateValue(year: 1557, month: 4, day: 12)), .text("x"),
                    ]),
                Feature(
                    geometry: .multiPolygon([
                        PolygonValue(exterior: Fixtures.square(502_000, 9_900_000, 500)),
                        PolygonValue(exterior: Fixtures.square(503_000, 9_900_000, 500)),
                    ]),
                    attributes: [.text("010151"), .null, .integer(-3), .null, .logical(false), .null, .null]),
                Feature(
                    geometry: nil, attributes: [.text("010152"), .text(""), .null, .decimal(1e-9), .null, .null, .null]),
            ])
    }

    /// A polygon and the one-part multipolygon it is promoted to are the same shape.
    func same(_ a: GeometryValue?, _ b: GeometryValue?) -> Bool {
        func parts(_ g: GeometryValue?) -> [PolygonValue]? { g.map(\.polygons) }
        if case .polygon = a, case .multiPolygon = b { return parts(a) == parts(b) }
        return a == b
    }

    @Test func aLayerRoundTripsWithItsTypesAndCRS() throws {
        let f = try Fixtures()
        let layer = sample()
        let report = try GeoPackageWriter.write([("parroquias", layer)], to: f.path("a.gpkg"), context: ProjContext())
        #expect(report.promotedToMulti["parroquias"] == 1)
        #expect(report.renamedFields["parroquias"] == ["CODE": "CODE_2"])
        let back = try LayerIO.read(f.path("a.gpkg"))
        #expect(back.crs == CRS("EPSG:32717"))
        #expect(back.kind == .polygon)
        #expect(back.fields.map(\.name) == ["code", "name", "pop", "share", "capital", "founded", "CODE_2"])
        #expect(back.fields.map(\.type) == [.text, .text, .integer, .decimal, .logical, .date, .text])
        #expect(back.fields[0].width == 12)
        #expect(back.features.count == 3)
        for (a, b) in zip(layer.features, back.features) {
            #expect(a.attributes == b.attributes)
            #expect(same(a.geometry, b.geometry))
        }
    }

    /// The file as another reader sees it: the header pragmas, the required tables, and each
    /// geometry blob decoded here byte by byte (not with the reader above) — `GP`, version 0,
    /// little-endian flags with the xy envelope, the srs_id, and an envelope equal to the
    /// geometry's — and an R-tree box per geometry that holds it.
    @Test func theFileFollowsTheStandard() throws {
        let f = try Fixtures()
        try GeoPackageWriter.write([("grid", Fixtures.grid(3))], to: f.path("g.gpkg"), context: ProjContext())
        let db = try SQLiteDatabase(path: f.path("g.gpkg"), create: false)
        #expect(try db.rows("PRAGMA application_id") == [[.integer(0x4750_4B47)]])
        #expect(try db.rows("PRAGMA user_version") == [[.integer(10300)]])
        #expect(try db.rows("PRAGMA integrity_check") == [[.text("ok")]])
        #expect(
            try db.rows(
                "SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id")
                == [
                    [.integer(-1), .text("NONE"), .integer(-1)], [.integer(0), .text("NONE"), .integer(0)],
                    [.integer(4326), .text("EPSG"), .integer(4326)], [.integer(32717), .text("EPSG"), .integer(32717)],
                ])
        #expect(
            try db.rows("SELECT geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns WHERE table_name = 'grid'")
                == [[.text("POLYGON"), .integer(32717), .integer(0), .integer(0)]])
        #expect(
            try db.rows("SELECT extension_name FROM gpkg_extensions WHERE table_name = 'grid'")
                == [[.text("gpkg_rtree_index")]])
        let rows = try db.rows(
            "SELECT g.fid, g.geom, r.minx, r.maxx, r.miny, r.maxy FROM grid g JOIN rtree_grid_geom r ON r.id = g.fid ORDER BY g.fid"
        )
        #expect(rows.count == 9)
        for row in rows {
            guard case .blob(let b) = row[1] else {
                Issue.record("not a blob")
                continue
            }
            #expect(Array(b.prefix(4)) == [0x47, 0x50, 0, 0x03])
            func le32(_ o: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(b[o + $1]) << (8 * $1) } }
            func double(_ o: Int) -> Double {
                Double(bitPattern: (0..<8).reduce(0) { $0 | UInt64(b[o + $1]) << (8 * $1) })
            }
            #expect(le32(4) == 32717)
            let (minX, maxX, minY, maxY) = (double(8), double(16), double(24), double(32))
            #expect(maxX - minX == 1000 && maxY - minY == 1000)
            // WKB: little-endian Polygon, one ring of 5 points starting at the envelope's corner.
            #expect(b[40] == 1 && le32(41) == 3 && le32(45) == 1 && le32(49) == 5)
            #expect(double(53) == minX && double(61) == minY)
            // The R*Tree stores 32-bit floats rounded outward: its box holds the envelope.
            if let a = row[2].real, let bx = row[3].real, let c = row[4].real, let d = row[5].real {
                #expect(a <= minX && bx >= maxX && c <= minY && d >= maxY)
                #expect(maxX - minX > (bx - a) - 2)
            }
        }
        let contents = try db.rows("SELECT min_x, max_y, srs_id FROM gpkg_contents WHERE table_name = 'grid'")
        #expect(contents == [[.real(500_000), .real(9_903_000), .integer(32717)]])
    }

    @Test func severalLayersAreNamedAndTheSameInputGivesTheSameBytes() throws {
        let f = try Fixtures()
        let layers = [("distritos", Fixtures.grid(2)), ("circuitos", Fixtures.grid(4))]
        try GeoPackageWriter.write(layers, to: f.path("plan.gpkg"), context: ProjContext())
        try GeoPackageWriter.write(layers, to: f.path("again.gpkg"), context: ProjContext())
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: f.path("plan.gpkg")))
                == Data(contentsOf: URL(fileURLWithPath: f.path("again.gpkg"))))
        #expect(try GeoPackageReader.layers(f.path("plan.gpkg")) == ["circuitos", "distritos"])
        #expect(try LayerIO.read(f.path("plan.gpkg") + ":circuitos").features.count == 16)
        #expect(try LayerIO.read(f.path("plan.gpkg") + ":DISTRITOS").features.count == 4)
        #expect { try LayerIO.read(f.path("plan.gpkg")) } throws: {
            ($0 as? GISError)?.message.contains("name one as") == true
        }
        #expect { try LayerIO.read(f.path("plan.gpkg") + ":zonas") } throws: {
            ($0 as? GISError)?.message.contains("circuitos, distritos") == true
        }
        #expect(throws: GISError.self) {
            try GeoPackageWriter.write([("gpkg_x", Fixtures.grid(1))], to: f.path("bad.gpkg"), context: ProjContext())
        }
        #expect(throws: GISError.self) {
            try GeoPackageWriter.write(
                [("a", Fixtures.grid(1)), ("A", Fixtures.grid(1))], to: f.path("bad.gpkg"), context: ProjContext())
        }
        #expect(!FileManager.default.fileExists(atPath: f.path("bad.gpkg")))
    }

    @Test func badFilesAreClearErrors() throws {
        let f = try Fixtures()
        try "not a database".write(toFile: f.path("text.gpkg"), atomically: true, encoding: .utf8)
        #expect(throws: GISError.self) { try LayerIO.read(f.path("text.gpkg")) }
        #expect(throws: GISError.self) { try LayerIO.read(f.path("missing.gpkg")) }
        let db = try SQLiteDatabase(path: f.path("plain.gpkg"), create: true)
        try db.execute("CREATE TABLE t (x INTEGER);")
        #expect { try LayerIO.read(f.path("plain.gpkg")) } throws: {
            ($0 as? GISError)?.message.contains("not a GeoPackage") == true
        }
    }

    /// Mutated blobs (flipped bytes, huge counts, truncation) decode or throw — never trap, and
    /// never allocate more than the blob holds.
    @Test func hostileBlobsAreRejectedNotTrusted() {
        let good = GeoPackageBinary.encode(
            .multiPolygon([
                PolygonValue(exterior: Fixtures.square(0, 0, 1)), PolygonValue(exterior: Fixtures.square(2, 0, 1)),
            ]),
            srsID: 4326)
        #expect((try? GeoPackageBinary.decode(good))?.geometry != nil)
        var state: UInt64 = 2012
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var rejected = 0
        for _ in 0..<3000 {
            var b = good
            switch next() % 4 {
            case 0: b[next() % b.count] = UInt8(next() % 256)
            case 1: b = Array(b.prefix(next() % b.count))
            case 2:
                let at = 40 + next() % (b.count - 44)
                for k in 0..<4 { b[at + k] = 0xFF }
            default: b.insert(UInt8(next() % 256), at: next() % b.count)
            }
            if (try? GeoPackageBinary.decode(b)) == nil { rejected += 1 }
        }
        #expect(rejected > 500)
        // A count of 2³²−1 rings in 20 bytes is refused before anything is allocated.
        var huge: [UInt8] = [0x47, 0x50, 0, 0x01, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
        huge += [0, 0, 0]
        #expect { try GeoPackageBinary.decode(huge) } throws: {
            ($0 as? GeoPackageBinary.Malformed)?.message.contains("does not fit") == true
        }
        // Z and M are dropped and counted; big-endian WKB reads the same.
        var pointZ: [UInt8] = [0x47, 0x50, 0, 0x00, 0, 0, 0x10, 0xE6, 0]
        pointZ += [0, 0, 0x03, 0xE9]  // big-endian PointZ (1001)
        for v in [1.5, -2.0, 99.0] { pointZ += withUnsafeBytes(of: v.bitPattern.bigEndian, Array.init) }
        let decoded = try? GeoPackageBinary.decode(pointZ)
        #expect(decoded?.geometry == .point(Coordinate(1.5, -2)))
        #expect(decoded?.droppedZM == true)
        #expect(decoded?.srsID == 4326)
    }
}

@Suite("National GeoPackage round trip (../shared/data)", .enabled(if: SharedData.required))
struct NationalGeoPackageTests {
    /// The 1,040 parishes through a GeoPackage: the same features, attributes, vertices and CRS.
    @Test func parishesRoundTripExactly() throws {
        let f = try Fixtures()
        let proj = try ProjContext()
        let source = try ShapefileReader.read(try SharedData.path("dpa/parroquias.shp"))
        try GeoPackageWriter.write([("parroquias", source)], to: f.path("p.gpkg"), context: proj)
        let back = try LayerIO.read(f.path("p.gpkg"))
        #expect(back.features.count == 1040)
        #expect(try proj.equivalent(try #require(back.crs), try #require(source.crs)))
        #expect(back.fields.map(\.name) == source.fields.map(\.name))
        #expect(back.fields.map(\.type) == source.fields.map(\.type))
        var geometryMismatches = 0, attributeMismatches = 0
        for (a, b) in zip(source.features, back.features) {
            if a.attributes != b.attributes { attributeMismatches += 1 }
            if a.geometry?.polygons != b.geometry?.polygons { geometryMismatches += 1 }
        }
        #expect(geometryMismatches == 0)
        #expect(attributeMismatches == 0)
        let population = back.features.reduce(Int64(0)) {
            if case .integer(let n) = $1.attributes[back.fieldIndex("POB_2022") ?? 0] { $0 + n } else { $0 }
        }
        #expect(population == 16_938_986)  // the data README's figure
    }
}

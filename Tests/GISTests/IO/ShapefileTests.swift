import Foundation
import GIS
import Testing

@Suite("Shapefile reader and writer")
struct ShapefileTests {
    static let fields = [
        Field("CODE", .text), Field("NAME", .text), Field("POP", .integer), Field("SHARE", .decimal),
        Field("URBAN", .logical), Field("SINCE", .date),
    ]

    /// Two features: a square with a hole (area 96) and a two-part multipolygon (area 2).
    static func polygons() -> Layer {
        let a = Feature(
            geometry: .polygon(PolygonValue(exterior: Fixtures.square(0, 0, 10), holes: [Fixtures.square(2, 2, 2)])),
            attributes: [
                .text("030150"), .text("CAÑAR"), .integer(75_000), .decimal(0.25), .logical(true),
                .date(DateValue(year: 2012, month: 1, day: 31)),
            ])
        let b = Feature(
            geometry: .multiPolygon([
                PolygonValue(exterior: Fixtures.square(20, 0)), PolygonValue(exterior: Fixtures.square(30, 0)),
            ]),
            attributes: [
                .text("180250"), .text("BAÑOS DE AGUA SANTA “CENTRO”"), .integer(20_018), .null, .logical(false), .null,
            ])
        return Layer(source: "test", kind: .polygon, crs: .utm17S, fields: fields, features: [a, b])
    }

    @Test func polygonRoundTripKeepsRingsTypesAndAreas() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("p.shp"), encoding: .windows1252)
        let layer = try ShapefileReader.read(fx.path("p.shp"))
        #expect(layer.kind == .polygon)
        #expect(layer.fields.map(\.type) == [.text, .text, .integer, .decimal, .logical, .date])
        #expect(layer.features.count == 2)
        let ctx = GeometryContext()
        #expect(try ctx.geometry(try #require(layer.features[0].geometry)).area() == 96)
        #expect(try ctx.geometry(try #require(layer.features[1].geometry)).area() == 2)
        #expect(layer.features[0].geometry?.polygons.first?.holes.count == 1)
        #expect(layer.features[1].geometry?.polygons.count == 2)
        #expect(layer.features[0].attributes == Self.polygons().features[0].attributes)
        #expect(layer.features[1].attributes[1] == .text("BAÑOS DE AGUA SANTA “CENTRO”"))
        #expect(layer.features[1].attributes[3] == .null)
        #expect(try ProjContext().describe(try #require(layer.crs)).identifier == "EPSG:32717")
        // Written as Windows-1252, as INEC does: Ñ is the single byte 0xD1.
        let dbf = try Data(contentsOf: URL(fileURLWithPath: fx.path("p.dbf")))
        #expect(dbf.contains(0xD1))
        #expect(try String(contentsOfFile: fx.path("p.cpg"), encoding: .utf8) == "1252")
    }

    /// DBF widths fit the data but never shrink below the source's (C80 names, N18
    /// populations stay so); a value wider than its source width widens the field; decimals
    /// keep their source precision. Without a source width, the data decides.
    @Test func fieldWidthsAreKeptFromTheSource() throws {
        let fx = try Fixtures()
        var layer = Self.polygons()
        layer.fields[0].width = 80  // CODE: values of 6 bytes
        layer.fields[1].width = 10  // NAME: a value of 28 characters
        layer.fields[2].width = 18  // POP
        layer.fields[3].width = 12
        layer.fields[3].decimals = 4
        _ = try ShapefileWriter.write(layer, to: fx.path("w.shp"), encoding: .utf8)
        let read = try ShapefileReader.read(fx.path("w.shp"))
        #expect(read.fields[0].width == 80)
        #expect(try #require(read.fields[1].width) >= 28)
        #expect(read.fields[2].width == 18)
        #expect(read.fields[3].width == 12)
        #expect(read.fields[3].decimals == 4)
        #expect(read.features[0].attributes[3] == .decimal(0.25))
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("d.shp"), encoding: .utf8)
        #expect(try ShapefileReader.read(fx.path("d.shp")).fields[0].width == 6)
    }

    @Test func linesPointsAndMultipoints() throws {
        let fx = try Fixtures()
        let lines = Layer(
            source: "t", kind: .line, crs: .utm17S, fields: [Field("id", .integer)],
            features: [
                Feature(geometry: .lineString([Coordinate(0, 0), Coordinate(3, 4)]), attributes: [.integer(1)]),
                Feature(
                    geometry: .multiLineString([
                        [Coordinate(0, 0), Coordinate(1, 0)], [Coordinate(5, 5), Coordinate(5, 7)],
                    ]), attributes: [.integer(2)]),
                Feature(geometry: nil, attributes: [.integer(3)]),
            ])
        _ = try ShapefileWriter.write(lines, to: fx.path("l.shp"))
        let l = try ShapefileReader.read(fx.path("l.shp"))
        let ctx = GeometryContext()
        #expect(try ctx.geometry(try #require(l.features[0].geometry)).length() == 5)
        #expect(try ctx.geometry(try #require(l.features[1].geometry)).length() == 3)
        #expect(l.features[2].geometry == nil)

        let points = Layer(
            source: "t", kind: .point, crs: .wgs84, fields: [Field("id", .integer)],
            features: [
                Feature(
                    geometry: .multiPoint([Coordinate(-78.5, -0.2), Coordinate(-79.9, -2.2)]), attributes: [.integer(1)]
                )
            ])
        _ = try ShapefileWriter.write(points, to: fx.path("mp.shp"))
        #expect(
            try ShapefileReader.read(fx.path("mp.shp")).features[0].geometry
                == .multiPoint([Coordinate(-78.5, -0.2), Coordinate(-79.9, -2.2)]))
    }

    @Test func zValuesAreDroppedWithANote() throws {
        let fx = try Fixtures()
        try fx.writePointZ("z", points: [(500_000, 9_800_000, 2_850), (501_000, 9_801_000, 2_900)])
        let layer = try ShapefileReader.read(fx.path("z.shp"))
        #expect(layer.kind == .point)
        #expect(
            layer.features.map(\.geometry) == [
                .point(Coordinate(500_000, 9_800_000)), .point(Coordinate(501_000, 9_801_000)),
            ])
        #expect(layer.notes.contains { $0.contains("Z values ignored") })
        #expect(layer.features[1].attributes == [.integer(2)])
    }

    @Test func encodingFromLanguageDriverByteWithoutCpg() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("p.shp"), encoding: .windows1252)
        try FileManager.default.removeItem(atPath: fx.path("p.cpg"))
        // Without .cpg and language driver, the reader detects non-UTF-8 bytes as 1252.
        var layer = try ShapefileReader.read(fx.path("p.shp"))
        #expect(layer.features[0].attributes[1] == .text("CAÑAR"))
        #expect(layer.notes.contains { $0.contains("detection") })
        // Language driver 0x57 (Windows ANSI) at byte 29.
        var dbf = try Data(contentsOf: URL(fileURLWithPath: fx.path("p.dbf")))
        dbf[29] = 0x57
        try dbf.write(to: URL(fileURLWithPath: fx.path("p.dbf")))
        layer = try ShapefileReader.read(fx.path("p.shp"))
        #expect(layer.features[1].attributes[1] == .text("BAÑOS DE AGUA SANTA “CENTRO”"))
        #expect(!layer.notes.contains { $0.contains("detection") })
    }

    @Test func utf8CpgAndOverride() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("u.shp"), encoding: .utf8)
        #expect(try ShapefileReader.read(fx.path("u.shp")).features[0].attributes[1] == .text("CAÑAR"))
        // Forcing Latin-1 on UTF-8 bytes shows the classic mojibake: the override is honoured.
        let forced = try ShapefileReader.read(fx.path("u.shp"), options: .init(encoding: .latin1))
        #expect(forced.features[0].attributes[1] == .text("CAÃ\u{91}AR"))
    }

    @Test func missingComponentsNameTheFile() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("p.shp"))
        for ext in ["prj", "dbf", "shx"] {
            try FileManager.default.removeItem(atPath: fx.path("p.\(ext)"))
            let error = try #require(throws: GISError.self) { try ShapefileReader.read(fx.path("p.shp")) }
            #expect(error.file == fx.path("p.\(ext)"))
            #expect(error.kind == .input)
        }
        let none = try #require(throws: GISError.self) { try ShapefileReader.read(fx.path("nothing.shp")) }
        #expect(none.message.contains("not found"))
    }

    @Test func missingPrjCanBeAssumed() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("p.shp"))
        try FileManager.default.removeItem(atPath: fx.path("p.prj"))
        let layer = try ShapefileReader.read(fx.path("p.shp"), options: .init(assumedCRS: .utm17S))
        #expect(layer.crs == .utm17S)
        #expect(layer.notes.contains { $0.contains("no .prj") })
    }

    @Test func truncatedShpIsAnErrorNamingTheRecord() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("t.shp"))
        let shp = try Data(contentsOf: URL(fileURLWithPath: fx.path("t.shp")))
        try shp.prefix(shp.count - 40).write(to: URL(fileURLWithPath: fx.path("t.shp")))
        let error = try #require(throws: GISError.self) { try ShapefileReader.read(fx.path("t.shp")) }
        #expect(error.file == fx.path("t.shp"))
        #expect(error.record == 2 || error.record == nil)
    }

    @Test func shxPointingPastTheEndIsAnError() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("x.shp"))
        var shx = try Data(contentsOf: URL(fileURLWithPath: fx.path("x.shx")))
        // Record 2's offset (big-endian 16-bit words) at byte 108: point far past the end.
        let far = Fixtures.int32BE(5_000_000)
        for k in 0..<4 { shx[108 + k] = far[k] }
        try shx.write(to: URL(fileURLWithPath: fx.path("x.shx")))
        let error = try #require(throws: GISError.self) { try ShapefileReader.read(fx.path("x.shp")) }
        #expect(error.record == 2)
        #expect(error.file == fx.path("x.shp"))
    }

    @Test func garbageFilesAreErrorsNotCrashes() throws {
        let fx = try Fixtures()
        for ext in ["shp", "shx", "dbf"] {
            try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(
                to: URL(fileURLWithPath: fx.path("g.\(ext)")))
        }
        try "EPSG:32717".write(toFile: fx.path("g.prj"), atomically: true, encoding: .utf8)
        #expect(throws: GISError.self) { try ShapefileReader.read(fx.path("g.shp")) }
        // An empty .shp.
        try Data().write(to: URL(fileURLWithPath: fx.path("g.shp")))
        #expect(throws: GISError.self) { try ShapefileReader.read(fx.path("g.shp")) }
    }

    @Test func badPrjIsAnError() throws {
        let fx = try Fixtures()
        _ = try ShapefileWriter.write(Self.polygons(), to: fx.path("p.shp"))
        try "PROJCS[nonsense".write(toFile: fx.path("p.prj"), atomically: true, encoding: .utf8)
        let error = try #require(throws: GISError.self) { try ShapefileReader.read(fx.path("p.shp")) }
        #expect(error.file == fx.path("p.prj"))
    }

    @Test func longFieldNamesAreShortenedUniquely() throws {
        let fx = try Fixtures()
        let layer = Layer(
            source: "t", kind: .point, crs: .wgs84,
            fields: [Field("population_2022", .integer), Field("population_2010", .integer)],
            features: [
                Feature(geometry: .point(Coordinate(0, 0)), attributes: [.integer(1), .integer(2)])
            ])
        let report = try ShapefileWriter.write(layer, to: fx.path("f.shp"))
        #expect(report.renamedFields == ["population_2022": "population", "population_2010": "populati_1"])
        #expect(try ShapefileReader.read(fx.path("f.shp")).fields.map(\.name) == ["population", "populati_1"])
    }

    @Test func ringAssemblyFixesWrongOrientation() throws {
        // A shell written counter-clockwise and a hole written clockwise (both reversed).
        let fx = try Fixtures()
        let reversed = Layer(
            source: "t", kind: .polygon, crs: .utm17S, fields: [Field("id", .integer)],
            features: [
                Feature(
                    geometry: .polygon(
                        PolygonValue(exterior: Fixtures.square(0, 0, 10), holes: [Fixtures.square(2, 2, 2)])),
                    attributes: [.integer(1)])
            ])
        _ = try ShapefileWriter.write(reversed, to: fx.path("r.shp"))
        // Reverse every ring in the file by rewriting through raw coordinates: swap the
        // writer's orientation by reading and re-reading is not possible, so check the
        // assembly directly on a reader round trip of a file whose rings we reverse in place.
        var shp = try Data(contentsOf: URL(fileURLWithPath: fx.path("r.shp")))
        // Record content starts at 108; parts at 108+44, points after the 2 part indices.
        let pointsStart = 100 + 8 + 44 + 2 * 4
        let ringLength = 5 * 16
        for ring in 0..<2 {
            let start = pointsStart + ring * ringLength
            var points = (0..<5).map { shp.subdata(in: (start + $0 * 16)..<(start + $0 * 16 + 16)) }
            points.reverse()
            for (k, p) in points.enumerated() { shp.replaceSubrange((start + k * 16)..<(start + k * 16 + 16), with: p) }
        }
        try shp.write(to: URL(fileURLWithPath: fx.path("r.shp")))
        let layer = try ShapefileReader.read(fx.path("r.shp"))
        let polygon = try #require(layer.features[0].geometry?.polygons.first)
        #expect(polygon.holes.count == 1)
        #expect(try GeometryContext().geometry(.polygon(polygon)).area() == 96)
        #expect(layer.notes.contains { $0.contains("orientation") })
    }
}

@Suite("DBF values: padding and white space")
struct DBFValueTrimmingTests {
    /// Overwrites field `name` of record `record` (0-based) with `bytes`, left-aligned and padded
    /// with spaces to the field's width, in a DBF written by the writer (layout: dBASE III).
    static func patch(_ path: String, record: Int, field name: String, bytes: [UInt8]) throws {
        var dbf = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let headerLength = Int(dbf[8]) | Int(dbf[9]) << 8
        let recordLength = Int(dbf[10]) | Int(dbf[11]) << 8
        var offset = 1  // the deletion flag
        var descriptor = 32
        while dbf[descriptor] != 0x0D {
            let fieldName = String(decoding: dbf[descriptor..<(descriptor + 11)].prefix { $0 != 0 }, as: UTF8.self)
            let width = Int(dbf[descriptor + 16])
            if fieldName == name {
                #expect(bytes.count <= width)
                let start = headerLength + record * recordLength + offset
                for k in 0..<width { dbf[start + k] = k < bytes.count ? bytes[k] : 0x20 }
                try Data(dbf).write(to: URL(fileURLWithPath: path))
                return
            }
            offset += width
            descriptor += 32
        }
        Issue.record("no field \(name)")
    }

    @Test func textLosesItsPaddingNumbersTheirWhiteSpace() throws {
        let fx = try Fixtures()
        let path = fx.path("t.shp")
        _ = try ShapefileWriter.write(ShapefileTests.polygons(), to: path, encoding: .windows1252)
        let dbf = fx.path("t.dbf")
        // Windows-1252: "  CAÑAR  " (Ñ = 0xD1; shapelib drops the leading blanks, the reader the
        // padding), and a number framed by a tab and a no-break space (0xA0), which
        // `CharacterSet.whitespaces` trims as well.
        try Self.patch(dbf, record: 0, field: "NAME", bytes: Array("  CA".utf8) + [0xD1] + Array("AR  ".utf8))
        try Self.patch(dbf, record: 0, field: "POP", bytes: [0x09] + Array("751".utf8) + [0xA0])
        try Self.patch(dbf, record: 1, field: "SHARE", bytes: Array(" 0.5\t".utf8))
        let layer = try ShapefileReader.read(path)
        #expect(layer.features[0].attributes[1] == .text("CAÑAR"))
        #expect(layer.features[0].attributes[2] == .integer(751))
        #expect(layer.features[1].attributes[3] == .decimal(0.5))
        // Blanks only are null (shapelib); a bad number is an error naming record and field.
        try Self.patch(dbf, record: 1, field: "NAME", bytes: [])
        #expect(try ShapefileReader.read(path).features[1].attributes[1] == .null)
        try Self.patch(dbf, record: 1, field: "POP", bytes: Array("7x".utf8))
        #expect {
            try ShapefileReader.read(path)
        } throws: { error in
            let text = "\(error)"
            return text.contains("record 2") && text.contains("POP") && text.contains("'7x' is not an integer")
        }
    }
}

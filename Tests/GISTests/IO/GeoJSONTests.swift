import Foundation
import Testing

@testable import GIS

@Suite("GeoJSON reader and writer (RFC 7946)")
struct GeoJSONTests {
    @Test func typedPropertiesAndGeometries() throws {
        let layer = try GeoJSONReader.parse(
            """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{"code":"010150","pop":10,"share":1,"ok":true,"tags":{"a":1},"mixed":1},
              "geometry":{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[1,1],[1,2],[2,2],[2,1],[1,1]]]}},
             {"type":"Feature","properties":{"code":"010151","pop":null,"share":2.5,"ok":false,"mixed":"x"},
              "geometry":{"type":"Point","coordinates":[-78.5,-0.2,2850]}},
             {"type":"Feature","properties":null,"geometry":null}
            ]}
            """)
        #expect(layer.fields.map(\.name) == ["code", "pop", "share", "ok", "tags", "mixed"])
        #expect(layer.fields.map(\.type) == [.text, .integer, .decimal, .logical, .text, .text])
        #expect(
            layer.features[0].attributes == [
                .text("010150"), .integer(10), .decimal(1), .logical(true), .text("{\"a\":1}"), .text("1"),
            ])
        #expect(layer.features[1].attributes[1] == .null)
        #expect(layer.features[2].geometry == nil)
        #expect(layer.features[1].geometry == .point(Coordinate(-78.5, -0.2)))
        #expect(layer.notes.contains { $0.contains("more than two values") })
        #expect(layer.kind == .mixed)
        #expect(layer.crs == .wgs84)
        #expect(try GeometryContext().geometry(try #require(layer.features[0].geometry)).area() == 15)
    }

    @Test func writerOrientsRingsRoundsAndOmitsCrs() throws {
        let fx = try Fixtures()
        // Exterior given clockwise, hole counter-clockwise: the writer must flip both.
        let cw = Array(Fixtures.square(0, 0, 1).reversed())
        let layer = Layer(
            source: "t", kind: .polygon, crs: .wgs84,
            fields: [Field("name", .text), Field("n", .integer), Field("x", .decimal)],
            features: [
                Feature(
                    geometry: .polygon(
                        PolygonValue(exterior: cw.map { Coordinate($0.x + 0.123456789, $0.y) }, holes: [])),
                    attributes: [.text("CAÑAR \"alto\""), .integer(3), .decimal(.nan)])
            ])
        try GeoJSONWriter(precision: 4).write(layer, to: fx.path("o.geojson"))
        let text = try String(contentsOfFile: fx.path("o.geojson"), encoding: .utf8)
        #expect(!text.contains("\"crs\""))
        #expect(text.contains("[0.1235,0]"))
        #expect(text.contains("\"name\":\"CAÑAR \\\"alto\\\"\""))
        #expect(text.contains("\"x\":null"))
        let back = try GeoJSONReader.read(fx.path("o.geojson"))
        let ring = try #require(back.features[0].geometry?.polygons.first?.exterior)
        #expect(Ring.signedArea(ring) > 0)  // counter-clockwise (§3.1.6)
    }

    @Test func writerTransformsToWGS84() throws {
        let fx = try Fixtures()
        let layer = Layer(
            source: "t", kind: .point, crs: .utm17S, fields: [],
            features: [Feature(geometry: .point(Coordinate(778_274.6307, 9_977_872.7878)), attributes: [])])
        try GeoJSONWriter(precision: 6).write(layer, to: fx.path("p.geojson"))
        #expect(try GeoJSONReader.read(fx.path("p.geojson")).features[0].geometry == .point(Coordinate(-78.5, -0.2)))
    }

    /// More features than one parallel batch: the file equals the features written one by
    /// one (each through its own one-feature file) joined in layer order, `alongside` runs,
    /// and the first failing feature in layer order is the one named.
    @Test func parallelBatchesKeepLayerOrderAndBytes() throws {
        let fx = try Fixtures()
        let count = GeoJSONWriter.batchSize + 150
        let grid = Fixtures.grid(66, size: 120)  // 4,356 cells in UTM 17S
        let layer = Layer(
            source: "cells", kind: .polygon, crs: .utm17S, fields: grid.fields,
            features: Array(grid.features.prefix(count)))
        #expect(layer.features.count == count)
        let marker = fx.path("alongside.txt")
        try GeoJSONWriter().write(layer, to: fx.path("all.geojson")) {
            try AtomicFile.write("ran\n", to: marker)
        }
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "ran\n")
        var lines: [String] = []
        for (i, feature) in layer.features.enumerated() where i % 37 == 0 || i >= count - 3 {
            var one = layer
            one.features = [feature]
            try GeoJSONWriter().write(one, to: fx.path("one.geojson"))
            let text = try String(contentsOfFile: fx.path("one.geojson"), encoding: .utf8)
            lines.append(text.split(separator: "\n")[1].description)
        }
        let all = try String(contentsOfFile: fx.path("all.geojson"), encoding: .utf8).split(separator: "\n")
        #expect(all.count == count + 2)
        #expect(all.first == "{\"type\":\"FeatureCollection\",\"features\":[")
        #expect(all.last == "]}")
        var k = 0
        for i in 0..<count where i % 37 == 0 || i >= count - 3 {
            let written = all[i + 1].description
            // Each feature's line ends with the comma that separates it from the next.
            #expect((i == count - 1 ? written : String(written.dropLast())) == lines[k], "feature \(i + 1)")
            k += 1
        }
        // Byte-identical on a second run.
        try GeoJSONWriter().write(layer, to: fx.path("again.geojson"))
        #expect(
            FileManager.default.contents(atPath: fx.path("again.geojson"))
                == FileManager.default.contents(atPath: fx.path("all.geojson")))

        // Coordinates PROJ cannot take in features 4,200 and 12: feature 12 is named.
        var bad = layer
        for i in [4_199, 11] {
            bad.features[i].geometry = GeometryValue.polygon(
                PolygonValue(exterior: Fixtures.square(1e300, 1e300, 1e299), holes: []))
        }
        let error = try #require(throws: GISError.self) { try GeoJSONWriter().write(bad, to: fx.path("bad.geojson")) }
        #expect(error.record == 12)
        #expect(!FileManager.default.fileExists(atPath: fx.path("bad.geojson")))
        // An error of the task alongside is thrown when every feature is fine.
        let side = try #require(throws: GISError.self) {
            try GeoJSONWriter().write(layer, to: fx.path("side.geojson")) {
                throw GISError(.output, operation: "write tables", message: "disk full")
            }
        }
        #expect(side.message == "disk full")
    }

    /// Geometries made ahead (as `access` does on a thread of its own) give the same bytes as
    /// a plain write, with other properties; a mismatch with the layer is a usage error, and
    /// a geometry that cannot be transformed names its record.
    @Test func preparedGeometriesWriteTheSameBytes() throws {
        let fx = try Fixtures()
        let grid = Fixtures.grid(8, size: 500)
        let layer = Layer(source: "cells", kind: .polygon, crs: .utm17S, fields: grid.fields, features: grid.features)
        let prepared = try GeoJSONWriter().geometryTexts(of: layer)
        try GeoJSONWriter().write(layer, to: fx.path("plain.geojson"))
        try GeoJSONWriter().write(layer, to: fx.path("prepared.geojson"), geometries: prepared)
        #expect(
            FileManager.default.contents(atPath: fx.path("prepared.geojson"))
                == FileManager.default.contents(atPath: fx.path("plain.geojson")))
        var fewer = layer
        fewer.features.removeLast()
        let mismatch = try #require(throws: GISError.self) {
            try GeoJSONWriter().write(fewer, to: fx.path("fewer.geojson"), geometries: prepared)
        }
        #expect(mismatch.kind == .usage)
        let coarse = try #require(throws: GISError.self) {
            try GeoJSONWriter(precision: 3).write(layer, to: fx.path("coarse.geojson"), geometries: prepared)
        }
        #expect(coarse.kind == .usage)
        #expect(!FileManager.default.fileExists(atPath: fx.path("fewer.geojson")))
        var bad = layer
        bad.features[5].geometry = GeometryValue.polygon(
            PolygonValue(exterior: Fixtures.square(1e300, 1e300, 1e299), holes: []))
        let error = try #require(throws: GISError.self) { try GeoJSONWriter().geometryTexts(of: bad) }
        #expect(error.record == 6)
    }

    @Test func legacyCrsMemberIsHonoured() throws {
        let layer = try GeoJSONReader.parse(
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32717"}},"features":[]}"#
        )
        #expect(layer.crs == .utm17S)
        let crs84 = try GeoJSONReader.parse(
            #"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[]}"#
        )
        #expect(crs84.crs == .wgs84)
        #expect(crs84.notes.isEmpty)
    }

    @Test func bareGeometryAndSingleFeature() throws {
        #expect(try GeoJSONReader.parse(#"{"type":"LineString","coordinates":[[0,0],[1,1]]}"#).features.count == 1)
        #expect(
            try GeoJSONReader.parse(#"{"type":"Feature","properties":{"a":"é\u00e9"},"geometry":null}"#).features[0]
                .attributes == [.text("éé")])
    }

    @Test func malformedInputGivesLocatedErrors() throws {
        let truncated = try #require(throws: GISError.self) {
            try GeoJSONReader.parse("{\"type\":\"FeatureCollection\",\n\"features\":[{\"type\":")
        }
        #expect(truncated.message.contains("line 2"))
        let badPosition = try #require(throws: GISError.self) {
            try GeoJSONReader.parse(
                #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1]}}]}"#
            )
        }
        #expect(badPosition.record == 1)
        #expect(throws: GISError.self) { try GeoJSONReader.parse(#"{"type":"Topology"}"#) }
        #expect(throws: GISError.self) { try GeoJSONReader.parse(#"[1,2]"#) }
        #expect(throws: GISError.self) {
            try GeoJSONReader.parse(
                #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Hexagon","coordinates":[]}}]}"#
            )
        }
        #expect(throws: GISError.self) { try GeoJSONReader.read("/nonexistent/file.geojson") }
    }

    @Test func fixedDecimalFormatting() {
        #expect(JSONText.fixed(-78.5000004, decimals: 6) == "-78.5")
        #expect(JSONText.fixed(0.0000004, decimals: 6) == "0")
        #expect(JSONText.fixed(-0.0000006, decimals: 6) == "-0.000001")
        #expect(JSONText.fixed(12.05, decimals: 1) == "12.1" || JSONText.fixed(12.05, decimals: 1) == "12")
        #expect(JSONText.fixed(1234567.891, decimals: 2) == "1234567.89")
    }
}

@Suite("GeoJSON rounding")
struct GeoJSONRoundingTests {
    @Test func ringsThatCollapseWhenRoundedAreLeftOutAndCounted() throws {
        let fx = try Fixtures()
        // A 1e-8° sliver hole and a 1e-8° islet vanish at 6 decimals; the square stays.
        let sliver = [Coordinate(0.2, 0.2), Coordinate(0.6, 0.2), Coordinate(0.6, 0.20000001), Coordinate(0.2, 0.2)]
        let islet = Fixtures.square(5, 5, 0.00000001)
        let layer = Layer(
            source: "t", kind: .polygon, crs: .wgs84, fields: [],
            features: [
                Feature(
                    geometry: .multiPolygon([
                        PolygonValue(exterior: Fixtures.square(0, 0, 1), holes: [sliver]),
                        PolygonValue(exterior: islet),
                    ]),
                    attributes: [])
            ])
        let report = try GeoJSONWriter(precision: 6).write(layer, to: fx.path("r.geojson"))
        #expect(report.collapsedRings == 2)
        let back = try GeoJSONReader.read(fx.path("r.geojson"))
        let polygons = try #require(back.features[0].geometry?.polygons)
        #expect(polygons.count == 1)
        #expect(polygons[0].holes.isEmpty)
        #expect(try GeometryContext().geometry(try #require(back.features[0].geometry)).isValid())
    }
}
